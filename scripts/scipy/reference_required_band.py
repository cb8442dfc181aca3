"""Reference values for crates/scalescope-core/tests/required_interval.rs (issue 13, item 3).

Run: python3 scripts/scipy/reference_required_band.py
Writes crates/scalescope-core/tests/data/required_band.json.
(SciPy 1.17.1, NumPy 2.4.6 when the committed numbers were produced.)

Data: a saturating law y = E + A x^-alpha (E = 1.8, A = 300, alpha = 0.3) at 20 scales
x = 1e7 * 2^k, 2 % log-normal noise from numpy's default_rng(7).

Fit: least squares on ln y (the tool's `ls-log`), covariance s^2 (J^T J)^-1 with
J = d ln yhat / d theta and s^2 = SSE/(m - p) (curve_fit's default).
Band: yhat * exp(+-t * se_ln), se_ln = sqrt(g^T C g) with g = d ln yhat / d theta, t the
0.975 quantile of Student's t with m - p degrees of freedom.
The required input's interval is {x : lo(x) <= target <= hi(x)}: its lower end is where
the lower edge crosses the target, its upper end where the upper edge does (brentq), or
+inf when the upper edge stays above the target up to x = 1e60.
Targets: two above E (reached near x = 1e10 and 1e13), and E's estimate plus a quarter of
the half-width of E's 95 % interval (inside it: "perhaps never").
"""
import json
import pathlib

import numpy as np
from scipy import optimize, stats

x = 1e7 * 2.0 ** np.arange(20)
rng = np.random.default_rng(7)
y = (1.8 + 300.0 * x ** -0.3) * np.exp(0.02 * rng.standard_normal(20))
m, p = len(x), 3


def f(t, x):
    return t[0] + t[1] * x ** -t[2]


def grad_ln(t, x):
    xa = x ** -t[2]
    yh = t[0] + t[1] * xa
    return np.stack([np.ones_like(xa), xa, -t[1] * xa * np.log(x)], axis=-1) / yh[..., None]


res = optimize.least_squares(
    lambda t: np.log(f(t, x)) - np.log(y),
    [1.5, 200.0, 0.25],
    jac=lambda t: grad_ln(t, x),
    xtol=1e-15,
    ftol=1e-15,
    gtol=1e-15,
)
theta = res.x
J = grad_ln(theta, x)
sse = float(np.sum(res.fun**2))
cov = sse / (m - p) * np.linalg.inv(J.T @ J)
t95 = stats.t.ppf(0.975, m - p)


def band(xv):
    g = grad_ln(theta, np.array([xv]))[0]
    se = float(np.sqrt(g @ cov @ g))
    yh = float(f(theta, xv))
    return yh * np.exp(-t95 * se), yh * np.exp(t95 * se)


def required(target):
    x0 = (((target - theta[0]) / theta[1]) ** (-1.0 / theta[2]))
    u0 = np.log(x0)
    lo = optimize.brentq(lambda u: band(np.exp(u))[0] - target, -69.0, u0, xtol=1e-14, rtol=1e-15)
    if band(1e60)[1] >= target:
        hi = None
    else:
        hi = float(np.exp(optimize.brentq(lambda u: band(np.exp(u))[1] - target, u0, 138.0,
                                          xtol=1e-14, rtol=1e-15)))
    return {"target": target, "x": float(x0), "lo": float(np.exp(lo)), "hi": hi}


e_half = t95 * np.sqrt(cov[0, 0])
targets = [float(f(theta, 1e10)), float(f(theta, 1e13)), float(theta[0] + 0.25 * e_half)]
out = {
    "x": x.tolist(),
    "y": y.tolist(),
    "params": theta.tolist(),
    "e_ci95": [float(theta[0] - e_half), float(theta[0] + e_half)],
    "required": [required(t) for t in targets],
}
path = pathlib.Path(__file__).resolve().parents[2] / "crates/scalescope-core/tests/data/required_band.json"
path.write_text(json.dumps(out, indent=1) + "\n")
print(json.dumps(out, indent=1))
