//! Target y → required x for the one-input laws, with a 95 % interval from inverting the
//! confidence band: the interval is every x at which the target lies inside the fit's
//! pointwise 95 % band ([`Fit::band95`]). Where the band's far edge never reaches the target
//! (a target inside the floor's uncertainty), the upper bound is `+∞`: the target may never
//! be reached at this confidence.

use crate::{stats, Fit, Form, InvertError};

/// The input needed to reach a target, with its 95 % interval.
#[derive(Clone, Debug, PartialEq)]
pub struct Required {
    /// The requested target y.
    pub target: f64,
    /// The x at which the fitted curve equals the target.
    pub x: f64,
    /// 95 % interval of `x`: the inputs at which the target lies inside the fit's 95 %
    /// confidence band (the band inverted, see [`Fit::required_x`]). The upper bound is
    /// `+∞` when the band never leaves the target ([`Required::unbounded`]); the lower
    /// bound is 0 when the band holds the target down to the smallest input searched.
    /// `(NaN, NaN)` without a covariance.
    pub ci95: (f64, f64),
}

impl Required {
    /// Whether the interval's upper bound is `+∞`: the target may never be reached at this
    /// confidence.
    pub fn unbounded(&self) -> bool {
        self.ci95.1 == f64::INFINITY
    }
}

/// The x with `form(p, x) = y`: the law's own inverse (closed form where one exists).
pub(crate) fn inverse(form: Form, p: &[f64], y: f64) -> Result<f64, InvertError> {
    if !y.is_finite() {
        return Err(InvertError::BadArgument {
            name: "target",
            value: y,
        });
    }
    if p.len() != form.n_params() {
        return Err(InvertError::BadParams("wrong number of parameters".into()));
    }
    if form.two_inputs() {
        return Err(InvertError::NotOneInput);
    }
    let x = form.law().inverse(p, y)?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(InvertError::Unreachable {
            target: y,
            reason: "the required x overflows".into(),
        })
    }
}

/// How a band is searched along its input.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Axis {
    /// On `ln x` between the two bounds (`ln x`), for positive inputs: a bound reached
    /// below is reported as 0, above as `+∞`.
    Log(f64, f64),
    /// On `x` itself, out to ±1e60 (±∞ beyond).
    Linear,
}

/// The search range of a one-input law's input on a log scale: 1e-30 … 1e60, as the
/// generic inverse's.
pub(crate) const LN_X_RANGE: (f64, f64) = (-69.0, 138.0);

/// The interval `{x : lo(x) ≤ target ≤ hi(x)}` around `x0` (where the fitted curve meets
/// the target), with `(lo, hi) = band(x)`: walking out from `x0` on each side in growing
/// steps (on `ln x`, at most 0.25 — a factor 1.28 — per step), the first input where the
/// target leaves the band is bisected to the last bit. A side that never leaves the band
/// within the search range is unbounded. `(NaN, NaN)` when the band is not finite at `x0`
/// (no covariance).
pub(crate) fn invert_band(
    band: impl Fn(f64) -> (f64, f64),
    target: f64,
    x0: f64,
    axis: Axis,
) -> (f64, f64) {
    let (lo0, hi0) = band(x0);
    if !(lo0.is_finite() && hi0.is_finite()) {
        return (f64::NAN, f64::NAN);
    }
    // The searched variable u (ln x or x), its range, the first step and the largest.
    let log = matches!(axis, Axis::Log(..));
    let to_x = |u: f64| if log { u.exp() } else { u };
    let (u0, range, first, cap) = match axis {
        Axis::Log(a, b) => (x0.ln(), (a, b), 0.01, 0.25),
        Axis::Linear => (x0, (-1e60, 1e60), 1e-3 * x0.abs().max(1e-6), f64::INFINITY),
    };
    let inside = |u: f64| {
        let (lo, hi) = band(to_x(u));
        lo <= target && target <= hi
    };
    let side = |dir: f64| -> f64 {
        let limit = if dir > 0.0 { range.1 } else { range.0 };
        let (mut prev, mut step) = (u0, first);
        loop {
            if (limit - prev) * dir <= 0.0 {
                // Inside all the way to the end of the range.
                return match (axis, dir > 0.0) {
                    (_, true) => f64::INFINITY,
                    (Axis::Log(..), false) => 0.0,
                    (Axis::Linear, false) => f64::NEG_INFINITY,
                };
            }
            let u = if (limit - prev) * dir <= step {
                limit
            } else {
                prev + dir * step
            };
            if !inside(u) {
                return to_x(bisect(&inside, prev, u));
            }
            prev = u;
            step = (step * 1.5).min(cap);
        }
    };
    (side(-1.0), side(1.0))
}

/// The boundary between `a` (inside) and `b` (outside), to the last bit; the inside end.
fn bisect(inside: &dyn Fn(f64) -> bool, mut a: f64, mut b: f64) -> f64 {
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if m == a || m == b {
            break;
        }
        if inside(m) {
            a = m;
        } else {
            b = m;
        }
    }
    a
}

impl Fit {
    /// The x where the fitted curve reaches `target_y`, with a 95 % interval
    /// (one-input laws; each law's own inverse).
    ///
    /// The interval inverts the confidence band rather than linearising the inverse: it is
    /// every x at which the target lies inside [`Fit::band95`], so it is where the drawn band
    /// crosses the target's line. Near a floor (a target inside the uncertainty of the
    /// saturating law's E) the band's upper edge never comes down to the target and the
    /// upper bound is `+∞` ([`Required::unbounded`]). Inputs are searched over 1e-30 … 1e60
    /// on a log scale (on a linear one for laws that do not take the log of their input).
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] when the curve never reaches the target (e.g. a loss at or
    /// below the floor E), [`InvertError::NotOneInput`] for chinchilla.
    pub fn required_x(&self, target_y: f64) -> Result<Required, InvertError> {
        let x = inverse(self.form, &self.params, target_y)?;
        let ci95 = if self.covariance.is_some() {
            let t = stats::t95(self.metrics.dof);
            let axis = if x > 0.0 && self.form.law().logs_inputs() {
                Axis::Log(LN_X_RANGE.0, LN_X_RANGE.1)
            } else {
                Axis::Linear
            };
            invert_band(|v| self.band_with_t(v, None, t), target_y, x, axis)
        } else {
            (f64::NAN, f64::NAN)
        };
        Ok(Required {
            target: target_y,
            x,
            ci95,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A band `(m(x) − w, m(x) + w)` around a falling curve `m(x) = 1 + 1/x` on a log axis.
    fn band(w: f64) -> impl Fn(f64) -> (f64, f64) {
        move |x: f64| (1.0 + 1.0 / x - w, 1.0 + 1.0 / x + w)
    }

    #[test]
    fn a_band_inverts_to_where_its_edges_cross_the_target() {
        // Target 1.5 (x0 = 2): lower edge 1 + 1/x − 0.1 = 1.5 at x = 1/0.6, upper edge at
        // x = 1/0.4.
        let (lo, hi) = invert_band(band(0.1), 1.5, 2.0, Axis::Log(-69.0, 138.0));
        assert!(
            (lo - 1.0 / 0.6).abs() < 1e-12 && (hi - 2.5).abs() < 1e-12,
            "{lo} {hi}"
        );
        let (lo, hi) = invert_band(band(0.1), 1.5, 2.0, Axis::Linear);
        assert!(
            (lo - 1.0 / 0.6).abs() < 1e-12 && (hi - 2.5).abs() < 1e-12,
            "{lo} {hi}"
        );
    }

    #[test]
    fn a_target_within_the_floor_band_is_never_reached_for_sure() {
        // Target 1.05: the upper edge 1.1 + 1/x never comes down to it.
        let (lo, hi) = invert_band(band(0.1), 1.05, 20.0, Axis::Log(-69.0, 138.0));
        assert!((lo - 1.0 / 0.15).abs() < 1e-12, "{lo}");
        assert_eq!(hi, f64::INFINITY);
        let (_, hi) = invert_band(band(0.1), 1.05, 20.0, Axis::Linear);
        assert_eq!(hi, f64::INFINITY);
        // Without a band there is no interval.
        let (lo, hi) = invert_band(|_| (f64::NAN, f64::NAN), 1.5, 2.0, Axis::Linear);
        assert!(lo.is_nan() && hi.is_nan());
    }
}
