"""Reference values for tests/closed_form.rs and tests/nonlinear_small.rs.

Run: python3 scripts/scipy/reference_small_fits.py
(SciPy 1.17.1, NumPy 2.4.6 when the committed numbers were produced.)

The data are a fixed, hand-made noisy power law and a noisy saturating law.
Covariances use curve_fit's default (absolute_sigma=False): sigma^2 (J^T J)^-1 with
sigma^2 = SSE/dof, the definition Scalescope uses.
"""
import numpy as np
from scipy import stats, optimize

np.set_printoptions(legacy="1.25")  # plain reprs of numpy floats

x = np.array([1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9, 3e9])
y = np.array([5.12, 4.71, 4.02, 3.71, 3.30, 3.02, 2.71, 2.52])
ys = np.array([4.63, 4.01, 3.41, 3.05, 2.72, 2.51, 2.38, 2.26])  # saturating-looking

# power, ls-log: OLS of ln y on ln x
r = stats.linregress(np.log(x), np.log(y))
a = np.exp(r.intercept)
print("power ls-log: a=%r b=%r se_b=%r se_ln_a=%r r2_log=%r" % (a, r.slope, r.stderr, r.intercept_stderr, r.rvalue**2))

# log, ls: OLS of y on ln x
r = stats.linregress(np.log(x), y)
print("log ls: a=%r b=%r se_a=%r se_b=%r r2=%r" % (r.intercept, r.slope, r.intercept_stderr, r.stderr, r.rvalue**2))

# exponential, ls-log: OLS of ln y on x (x rescaled to keep b moderate)
xe = np.arange(1.0, 9.0)
r = stats.linregress(xe, np.log(y))
print("exponential ls-log (x=1..8): a=%r b=%r se_b=%r" % (np.exp(r.intercept), r.slope, r.stderr))

# power, ls (nonlinear least squares in linear space)
f = lambda x, a, b: a * x**b
p, c = optimize.curve_fit(f, x, y, p0=[20.0, -0.07], xtol=1e-15, ftol=1e-15, gtol=1e-15, maxfev=100000)
print("power ls: a=%r b=%r se=%r" % (p[0], p[1], np.sqrt(np.diag(c)).tolist()))

# saturating, ls
g = lambda x, E, A, al: E + A * x**(-al)
p, c = optimize.curve_fit(g, x, ys, p0=[2.0, 100.0, 0.3], xtol=1e-15, ftol=1e-15, gtol=1e-15, maxfev=100000)
print("saturating ls: E=%r A=%r alpha=%r se=%r" % (p[0], p[1], p[2], np.sqrt(np.diag(c)).tolist()))

# saturating, huber-log:1e-3 (the default), and power, huber:0.05: the sum of
# scipy.special.huber(delta, r), minimised from many starts (Nelder-Mead, then Powell with
# tight tolerances, keeping the best; the objective is only piecewise smooth).
from scipy.special import huber


def robust(fun, starts):
    best = None
    for s in starts:
        r = optimize.minimize(fun, s, method="Nelder-Mead",
                              options=dict(xatol=1e-13, fatol=1e-16, maxiter=200000, maxfev=200000))
        r = optimize.minimize(fun, r.x, method="Powell",
                              options=dict(xtol=1e-13, ftol=1e-16, maxiter=200000, maxfev=200000))
        if best is None or r.fun < best.fun:
            best = r
    return best


sat = lambda p: huber(1e-3, np.log(p[0] + p[1] * x ** (-p[2])) - np.log(ys)).sum() \
    if p[0] + p[1] * x.min() ** (-p[2]) > 0 and p[0] > -10 else 1e9
r = robust(sat, [[1.9, 96.5, 0.26], [1.5, 50.0, 0.2], [2.1, 200.0, 0.35]])
print("saturating huber-log:1e-3: E=%r A=%r alpha=%r objective=%r" % (r.x[0], r.x[1], r.x[2], r.fun))

pw = lambda p: huber(0.05, p[0] * x ** p[1] - y).sum()
r = robust(pw, [[17.6, -0.09], [18.2, -0.092], [10.0, -0.05]])
print("power huber:0.05: a=%r b=%r objective=%r" % (r.x[0], r.x[1], r.fun))

# Delta-method band and required-x interval for the power ls fit (curve_fit covariance),
# computed independently of Scalescope: band at x0 = 1e8; x where y = 3.0 with the interval
# taken on ln x.
p, c = optimize.curve_fit(f, x, y, p0=[20.0, -0.07], xtol=1e-15, ftol=1e-15, gtol=1e-15, maxfev=100000)
t = stats.t.ppf(0.975, len(x) - 2)
x0 = 1e8
g = np.array([x0 ** p[1], p[0] * x0 ** p[1] * np.log(x0)])
half = t * np.sqrt(g @ c @ g)
y0 = p[0] * x0 ** p[1]
print("power ls band at 1e8: lo=%r hi=%r t=%r" % (y0 - half, y0 + half, t))
target = 3.0
lnx = np.log(target / p[0]) / p[1]
# d ln x / d a = -1/(a b); d ln x / d b = -ln(target/a)/b^2
gx = np.array([-1.0 / (p[0] * p[1]), -np.log(target / p[0]) / p[1] ** 2])
hx = t * np.sqrt(gx @ c @ gx)
print("power ls required x for 3.0: x=%r lo=%r hi=%r" % (np.exp(lnx), np.exp(lnx - hx), np.exp(lnx + hx)))
# The same interval as Scalescope now computes it (issue 13, item 3): the band inverted,
# {x : lo(x) <= 3.0 <= hi(x)}, each end where a band edge crosses the target (brentq on ln x).


def band_edge(u, sign):
    xv = np.exp(u)
    g = np.array([xv ** p[1], p[0] * xv ** p[1] * np.log(xv)])
    return p[0] * xv ** p[1] + sign * t * np.sqrt(g @ c @ g) - target


blo = optimize.brentq(lambda u: band_edge(u, -1.0), np.log(1e6), lnx, xtol=1e-14, rtol=1e-15)
bhi = optimize.brentq(lambda u: band_edge(u, 1.0), lnx, np.log(1e11), xtol=1e-14, rtol=1e-15)
print("power ls required x for 3.0, band inverted: lo=%r hi=%r" % (np.exp(blo), np.exp(bhi)))
