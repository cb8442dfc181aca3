"""Reference fit of a quadratic-in-log law for the Rust tests.

Run: python3 scripts/scipy/reference_quadlog.py
(SciPy 1.17.1, NumPy 2.4.6 when the committed numbers were produced; well under a second.)

Law: ln y = a + b ln x + c (ln x)^2 (c is the quadratic coefficient).
Truth a=3.0, b=-0.12, c=0.002. Data: 25 x log-spaced 1e6..1e12, y = truth * exp(0.02 z),
z ~ N(0, 1) from numpy.random.default_rng(2024) (2 % log-normal noise).

Objective ls-log: sum (ln yhat - ln y)^2, minimised in closed form: numpy.polyfit(ln x, ln y, 2)
(which returns [c, b, a]). Standard errors are the OLS ones, sqrt(diag(sigma^2 (X^T X)^-1)) with
X = [1, ln x, (ln x)^2] and sigma^2 = SSE/(n-3), cross-checked against polyfit(cov=True) and
a QR least-squares solve.

Writes crates/scalescope-core/tests/data/quadlog.csv (x,loss) and quadlog.json.
"""
import json
import os

import numpy as np
import scipy

np.set_printoptions(legacy="1.25")  # plain reprs of numpy floats

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "scalescope-core", "tests", "data"))
TRUTH = dict(a=3.0, b=-0.12, c=0.002)


def write_csv(name, cols, arrays):
    """Write columns with %.17g and read them back (the fit uses exactly what Rust reads)."""
    path = os.path.join(OUT, name)
    data = np.column_stack(arrays)
    np.savetxt(path, data, delimiter=",", header=",".join(cols), comments="", fmt="%.17g")
    back = np.loadtxt(path, delimiter=",", skiprows=1)
    assert np.array_equal(back, data), "CSV round trip"
    return [back[:, i] for i in range(len(cols))]


def main():
    os.makedirs(OUT, exist_ok=True)
    x = np.logspace(6.0, 12.0, 25)
    lx = np.log(x)
    yt = np.exp(TRUTH["a"] + TRUTH["b"] * lx + TRUTH["c"] * lx**2)
    rng = np.random.default_rng(2024)
    y = yt * np.exp(0.02 * rng.standard_normal(x.size))
    x, y = write_csv("quadlog.csv", ["x", "loss"], [x, y])

    lx, ly = np.log(x), np.log(y)
    n = lx.size
    c, b, a = np.polyfit(lx, ly, 2)
    r = a + b * lx + c * lx**2 - ly
    sse = float(r @ r)
    sigma2 = sse / (n - 3)
    X = np.column_stack([np.ones(n), lx, lx**2])
    cov = sigma2 * np.linalg.inv(X.T @ X)
    se = np.sqrt(np.diag(cov))

    # cross-checks: polyfit's own scaled covariance (same sigma^2 = SSE/(n-3)) and a lstsq solve
    _, pcov = np.polyfit(lx, ly, 2, cov=True)
    se_pf = np.sqrt(np.diag(pcov))[::-1]
    q, rr = np.linalg.qr(X)
    beta = np.linalg.solve(rr, q.T @ ly)
    rinv = np.linalg.inv(rr)
    se_qr = np.sqrt(sigma2 * np.sum(rinv**2, axis=1))
    assert np.allclose(beta, [a, b, c], rtol=1e-9, atol=0), (beta, [a, b, c])
    assert np.allclose(se, se_pf, rtol=1e-9) and np.allclose(se, se_qr, rtol=1e-9)
    r_truth = np.log(yt) - ly
    tss = float(np.sum((ly - ly.mean()) ** 2))

    print("polyfit: a=%r b=%r c=%r" % (a, b, c))
    print("qr solve: a=%r b=%r c=%r" % tuple(beta.tolist()))
    print("ls-log objective: %r (at truth %r)" % (sse, float(r_truth @ r_truth)))
    print("stderr: a=%r b=%r c=%r" % tuple(se.tolist()))
    print("stderr via polyfit cov: %r; via QR: %r" % (se_pf.tolist(), se_qr.tolist()))
    print("r2_log: %r" % (1 - sse / tss))

    out = {
        "law": "ln y = a + b*ln x + c*(ln x)^2",
        "objective_spec": "ls-log",
        "objective": sse,
        "params": {"a": float(a), "b": float(b), "c": float(c)},
        "stderr": {"a": float(se[0]), "b": float(se[1]), "c": float(se[2])},
        "covariance": cov.tolist(),
        "sigma2": sigma2,
        "r2_log": 1 - sse / tss,
        "starts": 1,
        "method": "numpy.polyfit(ln x, ln y, 2) (closed form)",
        "objective_at_truth": float(r_truth @ r_truth),
        "truth": TRUTH,
        "data_seed": 2024,
        "scipy_version": scipy.__version__,
        "numpy_version": np.__version__,
    }
    with open(os.path.join(OUT, "quadlog.json"), "w") as fh:
        json.dump(out, fh, indent=1)
        fh.write("\n")


if __name__ == "__main__":
    main()
