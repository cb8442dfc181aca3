"""IsoFLOP sweeps from a known Chinchilla surface, and Approach 2 run on them in NumPy, for
the Rust tests (crates/scalescope-core/tests/isoflop.rs).

Run: python3 scripts/scipy/isoflop_reference.py   (well under a second)

Surface: Epoch AI's 2024 replication (arXiv:2404.10102), the `epoch2024` preset:
L(N, D) = E + A N^-alpha + B D^-beta, E = 1.8169, A = 482.01, B = 2085.43, alpha = 0.3478,
beta = 0.3658, with D = C / (6 N).

Sweeps: budgets C = 1e18, 3e18, 1e19, ..., 1e21 (7 budgets). Per budget, 9 model sizes
log-spaced symmetrically around the surface's compute-optimal N (the closed form
G (C/6)^(beta/(alpha+beta)), G = (alpha A / (beta B))^(1/(alpha+beta))):
- isoflop_4x:        N from N_opt/4 to 4 N_opt, no noise;
- isoflop_4x_noisy:  the same grid, loss times (1 + 0.003 sin(1.7 k + 0.9 j)) for run k of
                     budget j (small, deterministic);
- isoflop_32x:       N from N_opt/32 to 32 N_opt, no noise.

Protocol (Hoffmann et al. 2022, Approach 2), as the Rust code runs it:
per budget, numpy.polyfit(ln N, loss, 2) = (c, b, a0); N_opt = exp(-b / (2c)) (the
argmin of the parabola); D_opt = C / (6 N_opt); loss_opt the parabola there. Then
numpy.polyfit(ln C, ln N_opt, 1) = (a, ln k_N) and numpy.polyfit(ln C, ln D_opt, 1)
= (b, ln k_D).

Writes crates/scalescope-core/tests/data/isoflop_{4x,4x_noisy,32x}.csv (columns C, N, loss;
every number as repr writes it, so Rust reads the same doubles) and isoflop_{...}.json
(the per-budget optima and a, b, k_N, k_D).
"""
import json
import os

import numpy as np

np.set_printoptions(legacy="1.25")

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.normpath(os.path.join(HERE, "..", "..", "crates", "scalescope-core", "tests", "data"))

E, A, B, ALPHA, BETA = 1.8169, 482.01, 2085.43, 0.3478, 0.3658
BUDGETS = [1e18, 3e18, 1e19, 3e19, 1e20, 3e20, 1e21]
SIZES = 9


def loss(n, d):
    return E + A * n ** -ALPHA + B * d ** -BETA


def n_opt_true(c):
    g = (ALPHA * A / (BETA * B)) ** (1.0 / (ALPHA + BETA))
    return g * (c / 6.0) ** (BETA / (ALPHA + BETA))


def sweep(half_width, noise):
    rows = []
    for j, c in enumerate(BUDGETS):
        centre = n_opt_true(c)
        for k, t in enumerate(np.linspace(-1.0, 1.0, SIZES)):
            n = float(centre * half_width ** t)
            value = float(loss(n, c / (6.0 * n)))
            if noise:
                value *= 1.0 + 0.003 * np.sin(1.7 * k + 0.9 * j)
            rows.append((c, n, float(value)))
    return rows


def approach2(rows):
    budgets = sorted({r[0] for r in rows})
    optima = []
    for c in budgets:
        n = np.array([r[1] for r in rows if r[0] == c])
        y = np.array([r[2] for r in rows if r[0] == c])
        cc, bb, aa = np.polyfit(np.log(n), y, 2)
        u = -bb / (2.0 * cc)
        optima.append({
            "C": c,
            "N_opt": float(np.exp(u)),
            "D_opt": float(c / (6.0 * np.exp(u))),
            "loss_opt": float(aa + bb * u + cc * u * u),
            "n": int(len(n)),
        })
    lc = np.log([o["C"] for o in optima])
    a, ln_kn = np.polyfit(lc, np.log([o["N_opt"] for o in optima]), 1)
    b, ln_kd = np.polyfit(lc, np.log([o["D_opt"] for o in optima]), 1)
    return {
        "budgets": optima,
        "a": float(a),
        "k_N": float(np.exp(ln_kn)),
        "b": float(b),
        "k_D": float(np.exp(ln_kd)),
        "a_true": BETA / (ALPHA + BETA),
        "numpy": np.__version__,
    }


def main():
    for name, half_width, noise in [("4x", 4.0, False), ("4x_noisy", 4.0, True), ("32x", 32.0, False)]:
        rows = sweep(half_width, noise)
        with open(os.path.join(DATA, f"isoflop_{name}.csv"), "w") as fh:
            fh.write("C,N,loss\n")
            for c, n, y in rows:
                fh.write(f"{c!r},{n!r},{y!r}\n")
        ref = approach2(rows)
        with open(os.path.join(DATA, f"isoflop_{name}.json"), "w") as fh:
            json.dump(ref, fh, indent=1)
            fh.write("\n")
        print(f"{name}: a = {ref['a']:.12f} b = {ref['b']:.12f} (true a {ref['a_true']:.6f})")


if __name__ == "__main__":
    main()
