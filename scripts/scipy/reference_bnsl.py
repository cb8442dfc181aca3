"""Reference fit of a one-break broken neural scaling law (BNSL) for the Rust tests.

Run: python3 scripts/scipy/reference_bnsl.py
(SciPy 1.17.1, NumPy 2.4.6 when the committed numbers were produced; about 30 s.)

Law (Caballero et al. 2022, "Broken Neural Scaling Laws", one break):
    y = a + b x^-c0 (1 + (x/d1)^(1/f1))^(-c1 f1),   b, d1, f1 > 0.
Truth a=1.5, b=30, c0=0.15, c1=0.35, d1=1e8, f1=0.5 (decreasing: every factor is).
Data: 40 x log-spaced 1e6..1e11, y = truth * exp(0.01 z), z ~ N(0, 1) from
numpy.random.default_rng(20220) (1 % log-normal noise).

Objective ls-log: sum (ln yhat - ln y)^2 (a sum, not a mean, not halved).

Reference: the best of a plain multi-start fit, scipy.optimize.least_squares (method 'trf',
ftol = xtol = gtol = 1e-15, max_nfev = 3000, analytic Jacobian) on the log residuals, over
(a, ln b, c0, c1, ln d1, ln f1) so that b, d1, f1 stay positive. Starts (400) are drawn from
numpy.random.default_rng(1) as: a uniform in [0, min y]; b log-uniform in [1e-2, 1e4];
c0, c1 log-uniform in [0.01, 2]; d1 log-uniform over the x range [1e6, 1e11]; f1
log-uniform in [0.05, 5]. The JSON also has the median objective over the starts and the
fraction of starts within 1e-6 (relative) of the best: how hard the landscape is.

Writes crates/scalescope-core/tests/data/bnsl.csv (x,loss), bnsl_noisefree.csv (x,loss: the
truth at the same x; the JSON's "noisefree" is the best of the first 100 of the same starts on
it) and bnsl.json.
"""
import json
import os

import numpy as np
import scipy
from scipy import optimize

np.set_printoptions(legacy="1.25")  # plain reprs of numpy floats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "scalescope-core", "tests", "data"))
NAMES = ["a", "b", "c0", "c1", "d1", "f1"]
TRUTH = dict(a=1.5, b=30.0, c0=0.15, c1=0.35, d1=1e8, f1=0.5)
N_STARTS = 400
N_NOISEFREE = 100
MAX_NFEV = 3000  # a few starts creep along a flat ridge (a break outside the data) for ever


def write_csv(name, cols, arrays):
    """Write columns with %.17g and read them back (the fit uses exactly what Rust reads)."""
    path = os.path.join(OUT, name)
    data = np.column_stack(arrays)
    np.savetxt(path, data, delimiter=",", header=",".join(cols), comments="", fmt="%.17g")
    back = np.loadtxt(path, delimiter=",", skiprows=1)
    assert np.array_equal(back, data), "CSV round trip"
    return [back[:, i] for i in range(len(cols))]


def law(theta, x):
    a, b, c0, c1, d1, f1 = theta
    return a + b * x ** -c0 * (1.0 + (x / d1) ** (1.0 / f1)) ** (-c1 * f1)


def natural(phi):
    """(a, ln b, c0, c1, ln d1, ln f1) -> (a, b, c0, c1, d1, f1)."""
    a, lb, c0, c1, ld, lf = phi
    return np.array([a, np.exp(lb), c0, c1, np.exp(ld), np.exp(lf)])


def parts(phi, lx):
    """Stable pieces: u = (ln x - ln d1)/f1, s = softplus(u), g = b x^-c0 (1+e^u)^(-c1 f1)."""
    a, lb, c0, c1, ld, lf = phi
    f1 = np.exp(lf)
    u = (lx - ld) / f1
    s = np.logaddexp(0.0, u)
    g = np.exp(np.minimum(lb - c0 * lx - c1 * f1 * s, 700.0))  # finite in absurd regions
    return a, c1, f1, u, s, g


def make_problem(lx, ly):
    def resid(phi):
        a, _, _, _, _, g = parts(phi, lx)
        yhat = a + g
        # a can wander negative: a non-positive prediction gets a huge but finite residual.
        return np.log(np.where(yhat > 0, yhat, 1e-300)) - ly

    def jac(phi):
        a, c1, f1, u, s, g = parts(phi, lx)
        yhat = np.where(a + g > 0, a + g, 1e-300)
        sig = 0.5 * (1.0 + np.tanh(0.5 * u))  # logistic(u), overflow-free
        d = np.column_stack([
            np.ones_like(g),              # d/da
            g,                            # d/d ln b
            -lx * g,                      # d/d c0
            -f1 * s * g,                  # d/d c1
            c1 * sig * g,                 # d/d ln d1
            -c1 * f1 * (s - sig * u) * g,  # d/d ln f1
        ])
        return d / yhat[:, None]

    def objective(phi):
        r = resid(phi)
        return float(r @ r)

    return resid, jac, objective


def to_phi(t):
    return np.array([t["a"], np.log(t["b"]), t["c0"], t["c1"], np.log(t["d1"]), np.log(t["f1"])])


def fit(resid, jac, objective, phi0):
    r = optimize.least_squares(resid, phi0, jac=jac, method="trf", ftol=1e-15, xtol=1e-15,
                               gtol=1e-15, max_nfev=MAX_NFEV)
    return r.x, objective(r.x), r.status


def main():
    os.makedirs(OUT, exist_ok=True)
    x = np.logspace(6.0, 11.0, 40)
    truth = np.array([TRUTH[k] for k in NAMES])
    yt = law(truth, x)
    assert np.all(np.diff(yt) < 0), "truth must be decreasing"
    rng = np.random.default_rng(20220)
    y = yt * np.exp(0.01 * rng.standard_normal(x.size))
    x, y = write_csv("bnsl.csv", ["x", "loss"], [x, y])
    xf, yf = write_csv("bnsl_noisefree.csv", ["x", "loss"], [x, yt])

    lx, ly = np.log(x), np.log(y)
    resid, jac, objective = make_problem(lx, ly)

    # analytic Jacobian against central differences at a generic point
    p = to_phi(TRUTH) + 0.1
    num = np.column_stack([(resid(p + h) - resid(p - h)) / 2e-6 for h in 1e-6 * np.eye(6)])
    assert np.allclose(jac(p), num, rtol=1e-5, atol=1e-8), np.abs(jac(p) - num).max()

    srng = np.random.default_rng(1)
    lu = lambda lo, hi: np.exp(srng.uniform(np.log(lo), np.log(hi)))
    starts = [np.array([srng.uniform(0.0, y.min()), np.log(lu(1e-2, 1e4)), lu(0.01, 2.0),
                        lu(0.01, 2.0), np.log(lu(1e6, 1e11)), np.log(lu(0.05, 5.0))])
              for _ in range(N_STARTS)]
    results = []
    for phi0 in starts:
        try:
            results.append(fit(resid, jac, objective, phi0))
        except (ValueError, FloatingPointError):
            results.append((phi0, np.inf, -99))
    objs = np.array([r[1] for r in results])
    best = int(np.argmin(objs))
    phi_best, f_best, status = results[best]
    within = float(np.mean(objs <= f_best * (1 + 1e-6)))
    stalled = int(sum(r[2] == 0 for r in results))  # stopped by max_nfev
    # how well the parameters are pinned: the largest relative deviation from the best among
    # the starts that reached the same minimum (objective within 1e-12 relative)
    same = [natural(r[0]) for r in results if r[1] <= f_best * (1 + 1e-12)]
    spread = np.max(np.abs(np.array(same) / natural(phi_best) - 1.0), axis=0)
    theta = natural(phi_best)
    f_truth = objective(to_phi(TRUTH))
    # fitting from the truth itself: a check that the best multi-start value is not beaten
    phi_t, f_from_truth, _ = fit(resid, jac, objective, to_phi(TRUTH))

    # noise-free recovery: the objective at the truth (~0) and the same multi-start, first
    # N_NOISEFREE starts: how many of them reach (numerically) zero.
    rf, jf, of = make_problem(np.log(xf), np.log(yf))
    f_nf_truth = of(to_phi(TRUTH))
    nf = [fit(rf, jf, of, s) for s in starts[:N_NOISEFREE]]
    nf_objs = np.array([r[1] for r in nf])
    phi_nf, f_nf, _ = nf[int(np.argmin(nf_objs))]
    nf_zero = float(np.mean(nf_objs < 1e-20))

    print("truth objective on noisy data: %r" % f_truth)
    print("best objective: %r (start %d, status %d)" % (f_best, best, status))
    print("best params: %r" % dict(zip(NAMES, theta.tolist())))
    print("fit started at truth: objective %r params %r" % (f_from_truth, natural(phi_t).tolist()))
    print("median objective over starts: %r; fraction within 1e-6 of best: %r; failures: %d;"
          " stopped by max_nfev: %d" % (float(np.median(objs)), within,
                                        int(np.sum(~np.isfinite(objs))), stalled))
    print("param spread over %d starts at the best: %r" % (len(same), spread.tolist()))
    print("sorted distinct objectives (first 10): %r" % np.unique(np.round(objs, 10))[:10].tolist())
    print("noise-free: objective at truth %r; best of %d starts %r params %r; fraction < 1e-20: %r"
          % (f_nf_truth, N_NOISEFREE, f_nf, natural(phi_nf).tolist(), nf_zero))

    out = {
        "law": "a + b*x^-c0*(1 + (x/d1)^(1/f1))^(-c1*f1)",
        "objective_spec": "ls-log",
        "objective": f_best,
        "params": dict(zip(NAMES, theta.tolist())),
        "starts": N_STARTS,
        "median_objective": float(np.median(objs)),
        "fraction_within_1e-6_of_best": within,
        "starts_stopped_by_max_nfev": stalled,
        "max_nfev": MAX_NFEV,
        "param_rel_spread_at_best": dict(zip(NAMES, spread.tolist())),
        "objective_at_truth": f_truth,
        "objective_from_truth_start": f_from_truth,
        "truth": TRUTH,
        "noisefree": {"objective_at_truth": f_nf_truth, "starts": N_NOISEFREE,
                      "objective": f_nf, "params": dict(zip(NAMES, natural(phi_nf).tolist())),
                      "fraction_below_1e-20": nf_zero},
        "data_seed": 20220,
        "start_seed": 1,
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
    }
    with open(os.path.join(OUT, "bnsl.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
