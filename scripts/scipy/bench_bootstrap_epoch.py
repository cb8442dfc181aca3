"""SciPy reference for benches/bootstrap.rs: Epoch AI's bootstrap protocol on their 240
Chinchilla points (arXiv:2404.10102).

Huber(1e-3) of log residuals, summed, on the log-sum-exp parameterisation (as
bench_chinchilla_grid.py), minimised by scipy.optimize.minimize (BFGS, finite-difference gradient as Epoch's
code does; `exact` as second argument for the analytic gradient) on each of 4000 resamples of the rows with replacement, warm-started from the full fit's
optimum (the best of the 4500-start grid, whose parameters are the ones
bench_chinchilla_grid.py prints). Prints the wall time and the bootstrap standard errors
(Epoch: E 0.0257, A 124.5, B 1293, alpha 0.0154, beta 0.0206).

Run: python3 scripts/scipy/bench_bootstrap_epoch.py [RESAMPLES [numeric|exact]]
"""
import os
import sys
import time

import numpy as np
from scipy.optimize import minimize
from scipy.special import huber

from chinchilla_data import epoch_points

DELTA = 1e-3
RESAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 4000
# Epoch's code minimises with BFGS and finite-difference gradients; "exact" passes the
# analytic gradient instead (same optimiser).
GRADIENT = sys.argv[2] if len(sys.argv) > 2 else "numeric"
N, D, L = epoch_points()


def make_objective(lnN, lnD, lnL):
    def objective(p):
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

    return objective


lnN, lnD, lnL = np.log(N), np.log(D), np.log(L)
# The full fit: the grid's optimum (bench_chinchilla_grid.py), polished once more here.
best = np.array([np.log(1.817218), np.log(477.83), np.log(2143.4), 0.347310, 0.367172])
full = minimize(make_objective(lnN, lnD, lnL), best, jac=True, method="BFGS")
x0 = full.x

rng = np.random.default_rng(13)
n = len(L)
print(f"load average at the start: {os.getloadavg()}")
t0 = time.perf_counter()
params = []
for _ in range(RESAMPLES):
    idx = rng.integers(0, n, n)
    objective = make_objective(lnN[idx], lnD[idx], lnL[idx])
    if GRADIENT == "exact":
        res = minimize(objective, x0, jac=True, method="BFGS")
    else:
        res = minimize(lambda q: objective(q)[0], x0, method="BFGS")
    params.append(res.x)
t1 = time.perf_counter()
print(f"load average at the end: {os.getloadavg()}")
p = np.array(params)
natural = np.column_stack([np.exp(p[:, 0]), np.exp(p[:, 1]), np.exp(p[:, 2]), p[:, 3], p[:, 4]])
se = natural.std(axis=0, ddof=1)
print(f"{RESAMPLES} warm-started BFGS refits ({GRADIENT} gradient): {t1 - t0:.2f} s "
      f"({1000 * (t1 - t0) / RESAMPLES:.3f} ms each)")
print("bootstrap SE: " + "  ".join(f"{k} {v:.5g}" for k, v in
                                   zip(["E", "A", "B", "alpha", "beta"], se)))
