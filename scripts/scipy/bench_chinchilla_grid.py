"""SciPy reference for benches/fit.rs `chinchilla_default_240` and `chinchilla_grid_240`.

The Hoffmann et al. / Epoch AI protocol: Huber(1e-3) of log residuals, summed, on the
log-sum-exp parameterisation, L-BFGS-B with the exact gradient from 4500 grid starts; the
best run wins. Run: python3 scripts/scipy/bench_chinchilla_grid.py
"""
import itertools
import os
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import huber

from chinchilla_data import epoch_points

DELTA = 1e-3
N, D, L = epoch_points()
lnN, lnD, lnL = np.log(N), np.log(D), np.log(L)


def objective(p):
    """Objective and exact gradient in [e, a, b, alpha, beta] (few numpy calls: the cost of a
    run is dominated by call overhead at 240 points)."""
    e, a, b, alpha, beta = p
    u0 = a - alpha * lnN
    u1 = b - beta * lnD
    m = np.maximum(np.maximum(u0, u1), e)
    e0 = np.exp(u0 - m)
    e1 = np.exp(u1 - m)
    e2 = np.exp(e - m)
    s = e0 + e1 + e2
    r = m + np.log(s) - lnL
    f = huber(DELTA, r).sum()
    d = np.clip(r, -DELTA, DELTA) / s
    d0, d1 = d * e0, d * e1
    g = np.array([d @ e2, d0.sum(), d1.sum(), -(d0 @ lnN), -(d1 @ lnD)])
    return f, g


def grid():
    exps = np.arange(0, 2.5, 0.5)
    es = np.arange(-1, 1.5, 0.5)
    coefs = np.arange(0, 30, 5)
    best, funs = None, []
    for alpha, beta, e, a, b in itertools.product(exps, exps, es, coefs, coefs):
        res = minimize(objective, [e, a, b, alpha, beta], jac=True, method="L-BFGS-B")
        funs.append(res.fun)
        if best is None or res.fun < best.fun:
            best = res
    return best, np.array(funs)


print(f"load average at the start: {os.getloadavg()}")
t0 = time.perf_counter()
best, funs = grid()
t1 = time.perf_counter()
print(f"load average at the end: {os.getloadavg()}")
e, a, b, alpha, beta = best.x
print(f"4500-start L-BFGS-B grid: {t1 - t0:.2f} s")
at_opt = int((funs <= best.fun + 1e-6 * abs(best.fun)).sum())
print(f"runs within 1e-6 of the best objective: {at_opt} of {len(funs)}")
print(f"objective {best.fun:.13f}  E {np.exp(e):.6f} A {np.exp(a):.4f} B {np.exp(b):.4f} "
      f"alpha {alpha:.6f} beta {beta:.6f}")
