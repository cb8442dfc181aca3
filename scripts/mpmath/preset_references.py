"""Reference values for the published laws' tests (crates/scalescope-core/src/presets.rs),
computed at 40 significant digits with mpmath from the constants the papers print.

Run from the repository root:

    python3 scripts/mpmath/preset_references.py > crates/scalescope-core/src/presets/references.txt

Each line is `name value` (17 significant digits); the Rust tests read the file with
`include_str!` and compare to 1e-12 relative, so the program's own output never becomes its
reference.
"""
from mpmath import mp, mpf, log, exp

mp.dps = 40
out = []


def put(name, value):
    out.append("%s %s" % (name, mp.nstr(value, 17, min_fixed=0, max_fixed=0)))


# Kaplan et al. 2020, eq. 1.1: L(N) = (N_c / N)^alpha_N.
Nc, aN = mpf("8.8e13"), mpf("0.076")
put("kaplan_n.loss_1e9", (Nc / mpf("1e9")) ** aN)
put("kaplan_n.loss_7e10", (Nc / mpf("7e10")) ** aN)
put("kaplan_n.params_for_2.5", Nc * mpf("2.5") ** (-1 / aN))

# Kaplan et al. 2020, eq. 1.5: L(N, D) = ((N_c/N)^(alpha_N/alpha_D) + D_c/D)^alpha_D.
Nc, Dc, aN, aD = mpf("6.4e13"), mpf("1.8e13"), mpf("0.076"), mpf("0.103")
r = aN / aD


def kaplan(n, d):
    return ((Nc / n) ** r + Dc / d) ** aD


put("kaplan_nd.loss_1e9_2e10", kaplan(mpf("1e9"), mpf("2e10")))
# D for N = 1e10 and L = 2.3: D_c / (L^(1/alpha_D) - (N_c/N)^r).
put("kaplan_nd.tokens_1e10_2.3", Dc / (mpf("2.3") ** (1 / aD) - (Nc / mpf("1e10")) ** r))
# Fewest parameters for L = 2 with unlimited data: N_c * L^(-1/alpha_N).
put("kaplan_nd.params_for_2", Nc * mpf(2) ** (-1 / aN))
# Along C = 6ND the minimum of (N_c/N)^r + 6 D_c N / C is at N^(1+r) = r N_c^r C / (6 D_c).
C = mpf("1e24")
n = (r * Nc**r * C / (6 * Dc)) ** (1 / (1 + r))
put("kaplan_nd.opt_1e24.n", n)
put("kaplan_nd.opt_1e24.d", C / (6 * n))
put("kaplan_nd.opt_1e24.loss", kaplan(n, C / (6 * n)))
# The compute for L = 2: at the optimum the bracket is (1 + r)(N_c/N)^r = L^(1/alpha_D).
L = mpf(2)
n = Nc * ((1 + r) / L ** (1 / aD)) ** (1 / r)
put("kaplan_nd.for_loss_2.n", n)
put("kaplan_nd.for_loss_2.compute", 6 * Dc * n / (r * (Nc / n) ** r))


def chinchilla(name, E, A, B, a, b, C):
    """The compute-optimal split of E + A/N^a + B/D^b along C = 6ND (Hoffmann et al., eq. 4)."""
    G = (a * A / (b * B)) ** (1 / (a + b))
    n = G * (C / 6) ** (b / (a + b))
    d = C / (6 * n)
    put(name + ".n", n)
    put(name + ".d", d)
    put(name + ".loss", E + A / n**a + B / d**b)


# Epoch AI 2024's printed (rounded) constants.
chinchilla("epoch.opt_1e24", mpf("1.8169"), mpf("482.01"), mpf("2085.43"), mpf("0.3478"),
           mpf("0.3658"), mpf("1e24"))
# Hoffmann et al. 2022, Approach 3, at Chinchilla's budget 5.88e23.
E, A, B, a, b = mpf("1.69"), mpf("406.4"), mpf("410.7"), mpf("0.34"), mpf("0.28")
chinchilla("hoffmann.opt_5.88e23", E, A, B, a, b, mpf("5.88e23"))
put("hoffmann.loss_7e10_1.4e12", E + A / mpf("7e10") ** a + B / mpf("1.4e12") ** b)
# Unlimited data, L = 2: N = (A / (L - E))^(1/alpha).
put("hoffmann.params_for_2", (A / (2 - E)) ** (1 / a))

print("\n".join(out))
