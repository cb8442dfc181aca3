"""NIST StRD nonlinear regression with SciPy's least_squares(method='lm') (MINPACK lmder),
for the comparison table in BENCHMARKS.md. Same LRE definition as
crates/scalescope-core/tests/strd.rs: min over the parameters and the RSS of
-log10(|est - cert| / |cert|), capped at 11.

Jacobians are exact (complex-step differentiation of the same model expressions).
Two settings: MINPACK with tight tolerances (ftol = xtol = gtol = 1e-15, as Scalescope's
30 machine epsilons), and SciPy's defaults (1e-8).
Run: python3 scripts/scipy/nist_lre.py
"""
import os
import re

import numpy as np
from scipy.optimize import least_squares

HERE = os.path.dirname(os.path.abspath(__file__))
NIST = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data", "nist"))
PI = np.pi

MODELS = {
    "Bennett5": lambda b, x: b[0] * (b[1] + x[0]) ** (-1 / b[2]),
    "BoxBOD": lambda b, x: b[0] * (1 - np.exp(-b[1] * x[0])),
    "Misra1a": lambda b, x: b[0] * (1 - np.exp(-b[1] * x[0])),
    "Chwirut1": lambda b, x: np.exp(-b[0] * x[0]) / (b[1] + b[2] * x[0]),
    "Chwirut2": lambda b, x: np.exp(-b[0] * x[0]) / (b[1] + b[2] * x[0]),
    "DanWood": lambda b, x: b[0] * x[0] ** b[1],
    "ENSO": lambda b, x: (b[0] + b[1] * np.cos(2 * PI * x[0] / 12) + b[2] * np.sin(2 * PI * x[0] / 12)
                          + b[4] * np.cos(2 * PI * x[0] / b[3]) + b[5] * np.sin(2 * PI * x[0] / b[3])
                          + b[7] * np.cos(2 * PI * x[0] / b[6]) + b[8] * np.sin(2 * PI * x[0] / b[6])),
    "Eckerle4": lambda b, x: (b[0] / b[1]) * np.exp(-0.5 * ((x[0] - b[2]) / b[1]) ** 2),
    "Gauss": lambda b, x: (b[0] * np.exp(-b[1] * x[0]) + b[2] * np.exp(-(x[0] - b[3]) ** 2 / b[4] ** 2)
                           + b[5] * np.exp(-(x[0] - b[6]) ** 2 / b[7] ** 2)),
    "Rat33": lambda b, x: ((b[0] + b[1] * x[0] + b[2] * x[0] ** 2 + b[3] * x[0] ** 3)
                           / (1 + b[4] * x[0] + b[5] * x[0] ** 2 + b[6] * x[0] ** 3)),
    "Kirby2": lambda b, x: (b[0] + b[1] * x[0] + b[2] * x[0] ** 2) / (1 + b[3] * x[0] + b[4] * x[0] ** 2),
    "Lanczos": lambda b, x: b[0] * np.exp(-b[1] * x[0]) + b[2] * np.exp(-b[3] * x[0]) + b[4] * np.exp(-b[5] * x[0]),
    "MGH09": lambda b, x: b[0] * (x[0] ** 2 + x[0] * b[1]) / (x[0] ** 2 + x[0] * b[2] + b[3]),
    "MGH10": lambda b, x: b[0] * np.exp(b[1] / (x[0] + b[2])),
    "MGH17": lambda b, x: b[0] + b[1] * np.exp(-x[0] * b[3]) + b[2] * np.exp(-x[0] * b[4]),
    "Misra1b": lambda b, x: b[0] * (1 - (1 + b[1] * x[0] / 2) ** (-2)),
    "Misra1c": lambda b, x: b[0] * (1 - (1 + 2 * b[1] * x[0]) ** (-0.5)),
    "Misra1d": lambda b, x: b[0] * b[1] * x[0] * ((1 + b[1] * x[0]) ** (-1)),
    "Nelson": lambda b, x: b[0] - b[1] * x[0] * np.exp(-b[2] * x[1]),
    "Rat42": lambda b, x: b[0] / (1 + np.exp(b[1] - b[2] * x[0])),
    "Rat43": lambda b, x: b[0] / ((1 + np.exp(b[1] - b[2] * x[0])) ** (1 / b[3])),
    "Roszman1": lambda b, x: b[0] - b[1] * x[0] - np.arctan(b[2] / (x[0] - b[3])) / PI,
}
ALIAS = {"Gauss1": "Gauss", "Gauss2": "Gauss", "Gauss3": "Gauss", "Hahn1": "Rat33", "Thurber": "Rat33",
         "Lanczos1": "Lanczos", "Lanczos2": "Lanczos", "Lanczos3": "Lanczos"}
ORDER = ["Misra1a", "Chwirut2", "Chwirut1", "Lanczos3", "Gauss1", "Gauss2", "DanWood", "Misra1b",
         "Kirby2", "Hahn1", "Nelson", "MGH17", "Lanczos1", "Lanczos2", "Gauss3", "Misra1c", "Misra1d",
         "Roszman1", "ENSO", "MGH09", "Thurber", "BoxBOD", "Rat42", "MGH10", "Eckerle4", "Rat43",
         "Bennett5"]


def load(name):
    text = open(os.path.join(NIST, name + ".dat")).read()
    starts1, starts2, cert = [], [], []
    rss = None
    data, in_data = [], False
    for line in text.splitlines():
        t = line.split()
        if in_data:
            if len(t) >= 2:
                data.append([float(v) for v in t])
            continue
        if t[:2] == ["Data:", "y"]:
            in_data = True
        elif line.strip().startswith("Residual Sum of Squares:"):
            rss = float(t[-1])
        elif re.match(r"^\s*b\d+\s*=", line):
            v = [float(s) for s in line.split("=")[1].split()]
            starts1.append(v[0]); starts2.append(v[1]); cert.append(v[2])
    data = np.array(data)
    y, x = data[:, 0], data[:, 1:].T
    if name == "Nelson":
        y = np.log(y)
    return np.array(starts1), np.array(starts2), np.array(cert), rss, x, y


def lre(est, cert):
    if not np.isfinite(est):
        return 0.0
    e = abs((est - cert) / cert)
    return 11.0 if e == 0 else float(np.clip(-np.log10(e), 0, 11))


def run(name, start, tol):
    _, _, cert, rss, x, y = load(name)
    f = MODELS[ALIAS.get(name, name)]
    res = lambda b: f(b, x) - y
    h = 1e-30

    def jac(b):
        j = np.empty((len(y), len(b)))
        for k in range(len(b)):
            bc = b.astype(complex)
            bc[k] += 1j * h
            j[:, k] = np.imag(f(bc, x)) / h
        return j

    try:
        kw = dict(ftol=tol, xtol=tol, gtol=tol) if tol else {}
        r = least_squares(res, start, jac=jac, method="lm", max_nfev=100000, **kw)
        b = r.x
        s = float(np.sum(res(b) ** 2))
    except Exception:
        return 0.0
    return min([lre(s, rss)] + [lre(bi, ci) for bi, ci in zip(b, cert)])


print(f"{'problem':<10} {'tight s1':>9} {'tight s2':>9} {'dflt s1':>8} {'dflt s2':>8}")
for name in ORDER:
    s1, s2, *_ = load(name)
    row = [run(name, s1, 1e-15), run(name, s2, 1e-15), run(name, s1, None), run(name, s2, None)]
    print(f"{name:<10} " + " ".join(f"{v:>8.2f}" for v in row))
