"""SciPy reference for benches/fit.rs `power_closed_form_1e5` and `power_ls_1e5`.

10^5 points of y = 40 x^-0.1 with the same deterministic +-1 % noise as the Rust bench
(PCG-style 64-bit LCG, top 53 bits). Closed form: linregress of ln y on ln x (plus the
exponentiation), as `ls-log`. Nonlinear: curve_fit(method='lm') in linear space with the
analytic Jacobian, started like Scalescope from the log-space fit.
Run: python3 scripts/scipy/bench_power_1e5.py
"""
import os
import timeit

import numpy as np
from scipy import optimize, stats

n = 100_000
state = 12345
u = np.empty(n)
mask = (1 << 64) - 1
for i in range(n):
    state = (state * 6364136223846793005 + 1442695040888963407) & mask
    u[i] = (state >> 11) / float(1 << 53)
x = 10.0 ** (6.0 + 5.0 * np.arange(n) / (n - 1))
y = 40.0 * x ** -0.1 * (1.0 + 0.02 * (u - 0.5))


def closed():
    r = stats.linregress(np.log(x), np.log(y))
    return np.exp(r.intercept), r.slope, r.stderr


def nonlinear():
    a0, b0, _ = closed()
    f = lambda t, a, b: a * t**b
    def jac(t, a, b):
        tb = t**b
        return np.stack([tb, a * tb * np.log(t)], axis=1)
    return optimize.curve_fit(f, x, y, p0=[a0, b0], jac=jac, method="lm")


for name, fn in [("closed form (linregress on logs)", closed), ("curve_fit lm", nonlinear)]:
    reps = 20
    times = timeit.repeat(fn, number=1, repeat=reps)
    print(f"{name}: median {np.median(times) * 1e3:.2f} ms, min {min(times) * 1e3:.2f} ms over {reps}")
print("closed:", closed()[:2])
print("lm:", nonlinear()[0])
print(f"load average: {os.getloadavg()}")
