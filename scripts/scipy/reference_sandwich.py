"""Reference values for crates/scalescope-core/tests/uncertainty.rs (issue 13, items 2-4).

Run: python3 scripts/scipy/reference_sandwich.py
(SciPy 1.17.1, NumPy 2.4.6 when the committed numbers were produced.)

Data: a saturating law y = E + A x^-alpha at 20 scales, 2 % log-normal noise from
numpy's default_rng(13), one point 15 % high (an outlier). The values are printed with
repr so they can be pasted into the Rust test.

Huber M-estimator, residuals r = ln yhat - ln y, J = d ln yhat / d theta (m rows, p params):
  psi = clip(r, -delta, delta), psi' = 1 inside delta, 0 outside,
  A = sum psi'(r_i) J_i J_i^T,   B = sum psi(r_i)^2 J_i J_i^T,
  cov = A^-1 B A^-1 * m / (m - p)      (the HC1 small-sample factor m/(m-p)).
Fallback when fewer than 2p + 4 residuals lie inside delta (A rests on too few rows):
the curvature is smoothed, A_s = kbar * sum J_i J_i^T with
  kbar = mean_i [Phi((delta - r_i)/h) - Phi((-delta - r_i)/h)]
(a kernel estimate of P(|r| <= delta) = E psi'), Gaussian kernel, bandwidth
  h = 1.06 * s * m^(-1/5),  s = 1.4826 * median |r_i|   (Silverman's rule, robust scale),
and cov = A_s^-1 B A_s^-1 * m / (m - p). For delta -> 0 it is the least-absolute-deviation
covariance 1/(4 f(0)^2) (J^T J)^-1 with a kernel density f(0).
LS covariance (curve_fit's default): s^2 (J^T J)^-1 with s^2 = SSE/(m - p).
"""
import numpy as np
from scipy import optimize, stats

np.set_printoptions(legacy="1.25")

E0, A0, AL0 = 1.8, 300.0, 0.3
x = 1e7 * 2.0 ** np.arange(20)
rng = np.random.default_rng(13)
y = (E0 + A0 * x ** -AL0) * np.exp(0.02 * rng.standard_normal(20))
y[5] *= 1.15
m, p = len(x), 3


def f(t):
    return t[0] + t[1] * x ** -t[2]


def jac(t):
    """d ln yhat / d theta."""
    xa = x ** -t[2]
    yh = t[0] + t[1] * xa
    return np.column_stack([np.ones(m), xa, -t[1] * xa * np.log(x)]) / yh[:, None]


def resid(t):
    return np.log(f(t)) - np.log(y)


def huber_obj(t, d):
    r = resid(t)
    a = np.abs(r)
    return np.sum(np.where(a <= d, 0.5 * r * r, d * (a - 0.5 * d)))


def huber_fit(d, t0):
    """Newton (Gauss-Newton on the active set) with a damped step and a line search;
    from Nelder-Mead's point. Converges to machine precision once the active set settles."""
    t = optimize.minimize(lambda t: huber_obj(t, d), t0, method="Nelder-Mead",
                          options=dict(xatol=1e-12, fatol=1e-18, maxiter=100000, maxfev=100000)).x
    for _ in range(500):
        r, J = resid(t), jac(t)
        g = J.T @ np.clip(r, -d, d)
        H = J.T @ ((np.abs(r) <= d)[:, None] * J)
        H = H + 1e-12 * np.trace(H) * np.eye(p) + 1e-30 * np.eye(p)
        step = np.linalg.solve(H, g)
        lam, f0 = 1.0, huber_obj(t, d)
        while lam > 1e-12 and huber_obj(t - lam * step, d) > f0:
            lam /= 2
        t_new = t - lam * step
        if np.max(np.abs(t_new - t) / np.abs(t)) < 1e-15:
            t = t_new
            break
        t = t_new
    return t


def sandwich(t, d, smooth):
    r, J = resid(t), jac(t)
    psi = np.clip(r, -d, d)
    B = J.T @ (psi[:, None] ** 2 * J)
    inside = int(np.sum(np.abs(r) <= d))
    if smooth:
        s = 1.4826 * np.median(np.abs(r))
        h = 1.06 * s * m ** -0.2
        kbar = np.mean(stats.norm.cdf((d - r) / h) - stats.norm.cdf((-d - r) / h))
        A = kbar * (J.T @ J)
    else:
        kbar = float("nan")
        A = J.T @ ((np.abs(r) <= d)[:, None] * J)
    Ai = np.linalg.inv(A)
    return Ai @ B @ Ai * m / (m - p), inside, kbar


# least squares in log space (ls-log)
ls = optimize.least_squares(resid, [2.0, 100.0, 0.25], jac=jac, xtol=1e-15, ftol=1e-15, gtol=1e-15)
t_ls = ls.x
r = resid(t_ls)
J = jac(t_ls)
s2 = r @ r / (m - p)
cov_ls = s2 * np.linalg.inv(J.T @ J)
print("x = 1e7 * 2^k, k = 0..19")
print("y =", repr(y.tolist()))
print("ls-log params:", repr(t_ls.tolist()))
print("ls-log cov:", repr(cov_ls.ravel().tolist()))

for d, smooth in [(0.02, False), (1e-3, True)]:
    t = huber_fit(d, t_ls)
    c, inside, kbar = sandwich(t, d, smooth)
    r = resid(t)
    J = jac(t)
    s2 = r @ r / (m - p)
    print("huber-log:%g params:" % d, repr(t.tolist()))
    print("  inside delta:", inside, " kbar:", repr(kbar))
    print("  sandwich cov:", repr(c.ravel().tolist()))
    print("  se sandwich:", repr(np.sqrt(np.diag(c)).tolist()))
    print("  se ls formula at this optimum:", repr(np.sqrt(np.diag(s2 * np.linalg.inv(J.T @ J))).tolist()))

# Degrees of freedom with zero weights: a power law (ls-log, closed form) on 5 points of
# which the last 2 have weight 0. They carry no information: dof = 3 - 2 = 1, and the fit
# is linregress on the first 3 points; t_{0.975,1} = 12.706...
xw = np.array([1e6, 1e7, 1e8, 1e9, 1e10])
yw = np.array([5.0, 4.1, 3.45, 2.0, 9.0])
lr = stats.linregress(np.log(xw[:3]), np.log(yw[:3]))
t1 = stats.t.ppf(0.975, 1)
print("zero weights: b=%r se_b=%r t95(1)=%r ci_b=(%r, %r)" % (
    lr.slope, lr.stderr, t1, lr.slope - t1 * lr.stderr, lr.slope + t1 * lr.stderr))

# Band and prediction interval of the ls-log fit, in log space (delta method for ln yhat):
#   se_ln = sqrt(g^T C g),  g = d ln yhat / d theta;  band = yhat * exp(+-t se_ln),
#   prediction interval = yhat * exp(+-t sqrt(se_ln^2 + s^2)),  s^2 = SSE/(m - p).
# The old band, yhat +- t * se(yhat) in linear space, goes below 0 at x = 1e-3 (far below
# the data, where the uncertainty is largest).
r = resid(t_ls)
s2 = r @ r / (m - p)
t17 = stats.t.ppf(0.975, m - p)
for xq in [1e7, 1e10, 1e14, 1e-3]:
    xa = xq ** -t_ls[2]
    yh = t_ls[0] + t_ls[1] * xa
    g = np.array([1.0, xa, -t_ls[1] * xa * np.log(xq)])
    se_lin = np.sqrt(g @ cov_ls @ g)
    se_ln = se_lin / yh
    print("x=%g yhat=%r band=(%r, %r) pi=(%r, %r) old_lo=%r" % (
        xq, yh, yh * np.exp(-t17 * se_ln), yh * np.exp(t17 * se_ln),
        yh * np.exp(-t17 * np.sqrt(se_ln**2 + s2)), yh * np.exp(t17 * np.sqrt(se_ln**2 + s2)),
        yh - t17 * se_lin))
