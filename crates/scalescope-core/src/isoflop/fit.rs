//! The two least-squares fits of Approach 2, in closed form: a parabola (per budget) and a
//! straight line (the power laws, in logs).

use nalgebra::{Matrix3, Vector3};

/// A parabola fitted to `(u, y)`, held in the centred and scaled variable
/// `t = (u − centre)/scale` (so its normal equations are well conditioned).
#[derive(Clone, Copy, Debug)]
pub(super) struct Parabola {
    centre: f64,
    scale: f64,
    /// `q₀ + q₁·t + q₂·t²`.
    q: [f64; 3],
    /// The minimum's `u`.
    pub(super) u_min: f64,
    /// The smallest and largest `u` fitted.
    pub(super) u_range: (f64, f64),
}

impl Parabola {
    /// The parabola at `u`.
    pub(super) fn value(&self, u: f64) -> f64 {
        let t = (u - self.centre) / self.scale;
        self.q[0] + t * (self.q[1] + t * self.q[2])
    }

    /// `(p₀, p₁, p₂)` of `p₀ + p₁·u + p₂·u²`.
    pub(super) fn coefficients(&self) -> (f64, f64, f64) {
        let (m, s) = (self.centre, self.scale);
        let [q0, q1, q2] = self.q;
        (
            q0 - q1 * m / s + q2 * m * m / (s * s),
            q1 / s - 2.0 * q2 * m / (s * s),
            q2 / (s * s),
        )
    }
}

/// The least-squares parabola of `y` in `u` (at least three distinct `u`), or `None` when
/// it does not open upward or is not finite.
pub(super) fn parabola(u: &[f64], y: &[f64]) -> Option<Parabola> {
    let n = u.len() as f64;
    let lo = u.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = u.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let centre = u.iter().sum::<f64>() / n;
    let scale = 0.5 * (hi - lo);
    if !(scale > 0.0 && scale.is_finite()) {
        return None;
    }
    let mut gram = Matrix3::zeros();
    let mut rhs = Vector3::zeros();
    for (&ui, &yi) in u.iter().zip(y) {
        let t = (ui - centre) / scale;
        let row = Vector3::new(1.0, t, t * t);
        gram += row * row.transpose();
        rhs += row * yi;
    }
    let q = gram.cholesky()?.solve(&rhs);
    let q = [q[0], q[1], q[2]];
    if q.iter().any(|v| !v.is_finite()) || q[2] <= 0.0 {
        return None;
    }
    let u_min = centre - scale * q[1] / (2.0 * q[2]);
    u_min.is_finite().then_some(Parabola {
        centre,
        scale,
        q,
        u_min,
        u_range: (lo, hi),
    })
}

/// The least-squares line `y = slope·x + intercept`, or `None` when `x` does not vary.
pub(super) fn line(x: &[f64], y: &[f64]) -> Option<(f64, f64)> {
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let sxx: f64 = x.iter().map(|v| (v - mx) * (v - mx)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    if sxx.is_nan() || sxx <= 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some((slope, my - slope * mx))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_an_exact_parabola() {
        // y = 7 − 3u + 0.5u²: minimum at u = 3, value 2.5.
        let u = [20.0, 21.0, 22.5, 24.0, 25.0];
        let y: Vec<f64> = u.iter().map(|v| 7.0 - 3.0 * v + 0.5 * v * v).collect();
        let p = parabola(&u, &y).expect("opens upward");
        assert!((p.u_min - 3.0).abs() < 1e-9, "{}", p.u_min);
        assert!((p.value(3.0) - 2.5).abs() < 1e-9);
        let (p0, p1, p2) = p.coefficients();
        assert!((p0 - 7.0).abs() < 1e-7 && (p1 + 3.0).abs() < 1e-9 && (p2 - 0.5).abs() < 1e-11);
        let down: Vec<f64> = y.iter().map(|v| -v).collect();
        assert!(parabola(&u, &down).is_none());
    }

    #[test]
    fn fits_a_line() {
        let (s, i) = line(&[1.0, 2.0, 3.0], &[3.0, 5.0, 7.5]).expect("x varies");
        // numpy.polyfit([1, 2, 3], [3, 5, 7.5], 1) = [2.25, 0.6666…].
        assert!((s - 2.25).abs() < 1e-12 && (i - 2.0 / 3.0).abs() < 1e-12);
        assert!(line(&[1.0, 1.0], &[1.0, 2.0]).is_none());
    }
}
