"""Reference for tests/degenerate.rs `mixed_sign_y_under_linear_least_squares`.

Run: python3 scripts/scipy/reference_mixed_sign.py   (about a second)

Data: x = 1..5, y = -1, 0.5, 1, 1.2, 1.5 (y of both signs: no log-linear start exists).
Laws: power y = a x^b and exponential y = a e^(b x), objective ls: sum of squared residuals.
Fit: scipy.optimize.least_squares (method 'lm', ftol = xtol = gtol = 1e-15) from 400 starts
with a, b uniform in [-3, 3] (numpy.random.default_rng(0)); the best SSE is printed.
"""
import numpy as np
from scipy.optimize import least_squares

x = np.array([1, 2, 3, 4, 5.0])
y = np.array([-1, 0.5, 1, 1.2, 1.5])
rng = np.random.default_rng(0)
laws = {
    "power": lambda p: p[0] * x ** p[1] - y,
    "exponential": lambda p: p[0] * np.exp(p[1] * x) - y,
}
with np.errstate(over="ignore", invalid="ignore"):
    for name, f in laws.items():
        best = None
        for _ in range(400):
            p0 = [rng.uniform(-3, 3), rng.uniform(-3, 3)]
            r = least_squares(f, p0, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15, max_nfev=20000)
            sse = 2 * r.cost
            if np.isfinite(sse) and (best is None or sse < best[0]):
                best = (sse, r.x)
        print(f"{name}: sse {float(best[0])!r} a {float(best[1][0])!r} b {float(best[1][1])!r}")
