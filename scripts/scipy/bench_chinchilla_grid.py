"""SciPy reference for benches/fit.rs `chinchilla_default_240` and `chinchilla_grid_240`.

The Hoffmann et al. / Epoch AI protocol: Huber(1e-3) of log residuals, summed, on the
log-sum-exp parameterisation, L-BFGS-B with the exact gradient from 4500 grid starts; the
best run wins. Run: python3 scripts/scipy/bench_chinchilla_grid.py
"""
import itertools
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import huber

from chinchilla_data import epoch_points

DELTA = 1e-3
N, D, L = epoch_points()
lnN, lnD, lnL = np.log(N), np.log(D), np.log(L)


def objective(p):
    e, a, b, alpha, beta = p
    u = np.stack([a - alpha * lnN, b - beta * lnD, np.full_like(lnN, e)])
    m = u.max(axis=0)
    ex = np.exp(u - m)
    s = ex.sum(axis=0)
    r = m + np.log(s) - lnL
    f = huber(DELTA, r).sum()
    d = np.clip(r, -DELTA, DELTA) / s
    g = np.array([
        (d * ex[2]).sum(),
        (d * ex[0]).sum(),
        (d * ex[1]).sum(),
        -(d * ex[0] * lnN).sum(),
        -(d * ex[1] * lnD).sum(),
    ])
    return f, g


def grid():
    exps = np.arange(0, 2.5, 0.5)
    es = np.arange(-1, 1.5, 0.5)
    coefs = np.arange(0, 30, 5)
    best = None
    for alpha, beta, e, a, b in itertools.product(exps, exps, es, coefs, coefs):
        res = minimize(objective, [e, a, b, alpha, beta], jac=True, method="L-BFGS-B")
        if best is None or res.fun < best.fun:
            best = res
    return best


t0 = time.perf_counter()
best = grid()
t1 = time.perf_counter()
e, a, b, alpha, beta = best.x
print(f"4500-start L-BFGS-B grid: {t1 - t0:.2f} s")
print(f"objective {best.fun:.13f}  E {np.exp(e):.6f} A {np.exp(a):.4f} B {np.exp(b):.4f} "
      f"alpha {alpha:.6f} beta {beta:.6f}")
