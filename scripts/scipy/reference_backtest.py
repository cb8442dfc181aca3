"""Reference backtests, for the Rust tests (crates/scalescope-core/tests/backtest.rs).

Run: python3 scripts/scipy/reference_backtest.py   (about a second)

Two deterministic synthetic datasets (written as CSV beside the JSON), objective ls-log
(sum of squared log residuals):

- backtest_power.csv: x = 1e6 * 2^k, k = 0..15; y = 30 x^-0.08 * exp(0.03 z), z standard
  normal from numpy.random.default_rng(13). Law y = a x^b: numpy.polyfit of ln y on ln x.
  Hold out the 3 largest x; and rolling: every prefix of at least 2 distinct x predicts the
  next x.
- backtest_saturating.csv: x = 1e7 * 2^k, k = 0..11, two runs at each x (24 points);
  y = (1.7 + 406.4 x^-0.34) * exp(0.02 z), z from numpy.random.default_rng(14). Law
  y = E + A x^-alpha: scipy.optimize.curve_fit of ln y on ln(E + A x^-alpha) (method 'lm',
  ftol = xtol = gtol = 1e-15) from the truth and from 30 random starts
  (numpy.random.default_rng(15)), the best kept. Hold out the 2 largest distinct x (4
  points), and everything above x = 1e9.

For each held-out point: the prediction of the fit of the other points, the relative error
predicted/observed - 1, and the 95 % prediction interval of a new run, computed in log space:
yhat * exp(+-t_{0.975, n-p} * sqrt(se_ln^2 + s^2)), s^2 = SSE/(n - p), se_ln^2 = g' C g with g
the gradient of ln yhat in the parameters and C the parameter covariance (polyfit's
s^2 (X'X)^-1 for the power law, curve_fit's pcov with absolute_sigma False for the saturating
law); inside = lo <= y <= hi. Per backtest the mean absolute relative error and the coverage.

Writes crates/scalescope-core/tests/data/backtest_{power,saturating}.{csv,json}.
"""
import json
import os

import numpy as np
import scipy
from scipy import optimize, stats

np.set_printoptions(legacy="1.25")

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "scalescope-core", "tests", "data"))


def write_csv(name, x, y):
    with open(os.path.join(DATA, name), "w") as fh:
        fh.write("params,loss\n")
        for a, b in zip(x, y):
            fh.write(f"{a!r},{b!r}\n")


def summary(x, y, yhat, lo, hi, held):
    """The held-out points' answers; lo and hi are None without a prediction interval."""
    rel = yhat / y - 1.0
    if lo is None:
        return {
            "heldout_index": [int(i) for i in np.flatnonzero(held)],
            "x": [float(v) for v in x],
            "observed": [float(v) for v in y],
            "predicted": [float(v) for v in yhat],
            "pi95": [None] * len(x),
            "rel_error": [float(v) for v in rel],
            "inside": [None] * len(x),
            "mean_abs_rel_error": float(np.mean(np.abs(rel))),
            "coverage": None,
        }
    inside = (lo <= y) & (y <= hi)
    return {
        "heldout_index": [int(i) for i in np.flatnonzero(held)],
        "x": [float(v) for v in x],
        "observed": [float(v) for v in y],
        "predicted": [float(v) for v in yhat],
        "pi95": [[float(a), float(b)] for a, b in zip(lo, hi)],
        "rel_error": [float(v) for v in rel],
        "inside": [bool(v) for v in inside],
        "mean_abs_rel_error": float(np.mean(np.abs(rel))),
        "coverage": float(np.mean(inside)),
    }


def power_backtest(x, y, held):
    """Fit y = a x^b to the points not held (OLS on logs) and predict the held ones."""
    kept = ~held
    lx, ly = np.log(x[kept]), np.log(y[kept])
    n = lx.size
    b, lna = np.polyfit(lx, ly, 1)
    yhat = np.exp(lna + b * np.log(x[held]))
    if n == 2:  # no degree of freedom: no interval
        out = summary(x[held], y[held], yhat, None, None, held)
        out["params"] = {"a": float(np.exp(lna)), "b": float(b)}
        out["fitted"] = int(n)
        return out
    r = ly - (lna + b * lx)
    s2 = float(r @ r) / (n - 2)
    X = np.column_stack([np.ones(n), lx])
    xtx_inv = np.linalg.inv(X.T @ X)
    x0 = np.column_stack([np.ones(held.sum()), np.log(x[held])])
    se2 = s2 * np.einsum("ij,jk,ik->i", x0, xtx_inv, x0)
    h = stats.t.ppf(0.975, n - 2) * np.sqrt(se2 + s2)
    out = summary(x[held], y[held], yhat, yhat * np.exp(-h), yhat * np.exp(h), held)
    out["params"] = {"a": float(np.exp(lna)), "b": float(b)}
    out["fitted"] = int(n)
    return out


def saturating_backtest(x, y, held, truth, rng):
    """Fit y = E + A x^-alpha under ls-log to the points not held and predict the others."""
    kept = ~held
    xk, lyk = x[kept], np.log(y[kept])

    def f(xv, E, A, alpha):
        return np.log(E + A * xv ** -alpha)

    def jac(xv, E, A, alpha):
        t = xv ** -alpha
        yhat = E + A * t
        return np.column_stack([1 / yhat, t / yhat, -A * np.log(xv) * t / yhat])

    def run(p0):
        p, cov = optimize.curve_fit(f, xk, lyk, p0=p0, jac=jac, method="lm", ftol=1e-15,
                                    xtol=1e-15, gtol=1e-15, maxfev=20000)
        r = f(xk, *p) - lyk
        return p, cov, float(r @ r)

    best = run(truth)
    for _ in range(30):
        p0 = [rng.uniform(0.5, 3.0), np.exp(rng.uniform(np.log(10), np.log(1e4))),
              rng.uniform(0.1, 0.7)]
        try:
            with np.errstate(all="ignore"):
                o = run(p0)
        except (RuntimeError, ValueError):
            continue
        if np.all(np.isfinite(o[0])) and o[0][0] > 0 and o[2] < best[2]:
            best = o
    p, cov, sse = best
    n = xk.size
    s2 = sse / (n - 3)
    xh = x[held]
    g = jac(xh, *p)  # rows: gradient of ln yhat
    se2 = np.einsum("ij,jk,ik->i", g, cov, g)
    yhat = np.exp(f(xh, *p))
    h = stats.t.ppf(0.975, n - 3) * np.sqrt(se2 + s2)
    out = summary(xh, y[held], yhat, yhat * np.exp(-h), yhat * np.exp(h), held)
    out["params"] = {"E": float(p[0]), "A": float(p[1]), "alpha": float(p[2])}
    out["fitted"] = int(n)
    out["objective"] = sse
    return out


def main():
    meta = {
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
        "objective_spec": "ls-log",
    }

    # Power law: 16 distinct x.
    k = np.arange(16)
    x = 1e6 * 2.0 ** k
    z = np.random.default_rng(13).standard_normal(x.size)
    y = 30.0 * x ** -0.08 * np.exp(0.03 * z)
    write_csv("backtest_power.csv", x, y)
    top3 = x >= np.sort(np.unique(x))[-3]
    distinct = np.unique(x)
    rolling = []
    for j in range(2, distinct.size):
        kept = x <= distinct[j - 1]
        held = x == distinct[j]
        sel = kept | held  # a prefix of x (sorted, distinct): indices stay the same
        step = power_backtest(x[sel], y[sel], held[sel])
        step["scales_used"] = j
        step["next_x"] = float(distinct[j])
        rolling.append(step)
    power = dict(meta, law="a*x^b", method="numpy.polyfit(ln x, ln y, 1)",
                 holdout_top_3=power_backtest(x, y, top3), rolling=rolling)
    with open(os.path.join(DATA, "backtest_power.json"), "w") as fh:
        json.dump(power, fh, indent=1)
        fh.write("\n")

    # Saturating law: 12 distinct x, two runs each.
    k = np.repeat(np.arange(12), 2)
    x = 1e7 * 2.0 ** k
    z = np.random.default_rng(14).standard_normal(x.size)
    truth = [1.7, 406.4, 0.34]
    y = (truth[0] + truth[1] * x ** -truth[2]) * np.exp(0.02 * z)
    write_csv("backtest_saturating.csv", x, y)
    rng = np.random.default_rng(15)
    top2 = x >= np.sort(np.unique(x))[-2]
    above = x > 1e9
    sat = dict(meta, law="E + A*x^-alpha",
               method="scipy.optimize.curve_fit(method='lm') of ln y, best of truth + 30 starts",
               truth={"E": truth[0], "A": truth[1], "alpha": truth[2]},
               holdout_top_2=saturating_backtest(x, y, top2, truth, rng),
               holdout_above_1e9=saturating_backtest(x, y, above, truth, rng))
    with open(os.path.join(DATA, "backtest_saturating.json"), "w") as fh:
        json.dump(sat, fh, indent=1)
        fh.write("\n")
    print(json.dumps({"power_top3": power["holdout_top_3"]["mean_abs_rel_error"],
                      "sat_top2": sat["holdout_top_2"]["mean_abs_rel_error"],
                      "sat_above": sat["holdout_above_1e9"]["mean_abs_rel_error"]}))


if __name__ == "__main__":
    main()
