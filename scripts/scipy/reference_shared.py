"""Reference joint fit with a shared exponent and its F test, for the Rust tests
(crates/scalescope-core/tests/shared.rs).

Run: python3 scripts/scipy/reference_shared.py   (about a second)

Data: three families y = E_g + A_g x^-alpha_g at 10 compute budgets 1e17..1e21 each, with
3 % log-normal noise from numpy.random.default_rng(14); the families' alphas are 0.30, 0.32
and 0.29, so the test has something to weigh. Objective ls-log: sum (ln yhat - ln y)^2.

Separate fits: scipy.optimize.least_squares (method 'lm', ftol = xtol = gtol = 1e-15) of
each family's log residuals over (E, A, alpha), best of 40 starts (alpha on a grid 0.05..1,
E and A by linear least squares given alpha). Joint fit: least_squares on the stacked log
residuals over (alpha, E_1, A_1, E_2, A_2, E_3, A_3), started from the separate fits with
alpha at each family's estimate and at their mean; the lowest RSS wins.

F = ((RSS_joint - RSS_sep)/q) / (RSS_sep/(n - p_sep)), q = (3 - 1)*1 = 2, n = 30,
p_sep = 9; p = scipy.stats.f.sf(F, q, n - p_sep). alpha's standard error from the joint
Jacobian: sqrt(RSS_joint/(n - 7) * inv(J^T J)[0, 0]).

Writes crates/scalescope-core/tests/data/shared_reference.json (the data and the results).
"""
import json
import os

import numpy as np
import scipy
from scipy import optimize, stats

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "scalescope-core", "tests", "data"))
TOL = dict(method="lm", ftol=1e-15, xtol=1e-15, gtol=1e-15, max_nfev=100000)


def families():
    rng = np.random.default_rng(14)
    x = 1e17 * 10.0 ** (np.arange(10) / 2.25)
    out = []
    for name, e, alpha in [("a", 1.7, 0.30), ("b", 2.0, 0.32), ("c", 1.9, 0.29)]:
        a = 3.0 * x[0] ** alpha
        y = (e + a * x ** -alpha) * np.exp(0.03 * rng.standard_normal(x.size))
        # json writes each double's shortest round-trip text: Rust reads the same doubles.
        out.append((name, x, y))
    return out


def resid(p, x, y):
    e, a, alpha = p
    return np.log(np.maximum(e + a * x ** -alpha, 1e-300)) - np.log(y)


def separate(x, y):
    best = None
    for alpha in np.geomspace(0.05, 1.0, 40):
        col = x ** -alpha
        m = np.column_stack([np.ones_like(x), col])
        (e, a), *_ = np.linalg.lstsq(m, y, rcond=None)
        if np.any(e + a * col <= 0):
            continue
        with np.errstate(all="ignore"):
            s = optimize.least_squares(resid, [e, a, alpha], args=(x, y), **TOL)
        rss = float(s.fun @ s.fun)
        if best is None or rss < best[1]:
            best = (s.x, rss)
    return best


def main():
    fams = families()
    seps = [separate(x, y) for _, x, y in fams]

    def joint_resid(t):
        alpha = t[0]
        r = []
        for g, (_, x, y) in enumerate(fams):
            r.append(resid([t[1 + 2 * g], t[2 + 2 * g], alpha], x, y))
        return np.concatenate(r)

    alphas = [p[2] for p, _ in seps]
    best = None
    for a0 in alphas + [float(np.mean(alphas))]:
        t0 = [a0]
        for p, _ in seps:
            t0 += [p[0], p[1]]
        with np.errstate(all="ignore"):
            s = optimize.least_squares(joint_resid, t0, **TOL)
        rss = float(s.fun @ s.fun)
        if best is None or rss < best[1]:
            best = (s, rss)
    s, rss_joint = best
    rss_sep = float(sum(r for _, r in seps))
    n, p_sep, q = 30, 9, 2
    f = ((rss_joint - rss_sep) / q) / (rss_sep / (n - p_sep))
    p = float(stats.f.sf(f, q, n - p_sep))
    jac = s.jac
    cov = rss_joint / (n - 7) * np.linalg.inv(jac.T @ jac)
    out = {
        "law": "E + A*x^-alpha",
        "objective": "ls-log",
        "shared": ["alpha"],
        "groups": [
            {
                "name": name,
                "x": list(map(float, x)),
                "y": list(map(float, y)),
                "separate": {"E": float(sp[0]), "A": float(sp[1]), "alpha": float(sp[2]), "rss": r},
                "joint": {"E": float(s.x[1 + 2 * g]), "A": float(s.x[2 + 2 * g]), "alpha": float(s.x[0])},
            }
            for g, ((name, x, y), (sp, r)) in enumerate(zip(fams, seps))
        ],
        "rss_separate": rss_sep,
        "rss_joint": rss_joint,
        "alpha": float(s.x[0]),
        "alpha_stderr": float(np.sqrt(cov[0, 0])),
        "F": float(f),
        "dof": [q, n - p_sep],
        "p": p,
        "method": "scipy.optimize.least_squares(method='lm') on stacked log residuals; scipy.stats.f.sf",
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
    }
    with open(os.path.join(DATA, "shared_reference.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")
    print(json.dumps({k: out[k] for k in ["rss_separate", "rss_joint", "alpha", "F", "p", "alpha_stderr"]}, indent=1))


if __name__ == "__main__":
    main()
