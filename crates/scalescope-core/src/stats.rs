//! Small statistics helpers: Student's t quantile and the chi-squared survival function
//! (via `statrs`, which builds for wasm with default features off) and a scale-robust
//! covariance inverse.

use nalgebra::DMatrix;
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

/// The two-sided 95 % critical value of Student's t with `dof` degrees of freedom
/// (`t_{0.975, dof}`); NaN for `dof == 0`.
pub fn t95(dof: usize) -> f64 {
    if dof == 0 {
        return f64::NAN;
    }
    match StudentsT::new(0.0, 1.0, dof as f64) {
        Ok(t) => t.inverse_cdf(0.975),
        Err(_) => f64::NAN,
    }
}

/// The chi-squared survival function `P(X > x)` with `dof` degrees of freedom (the
/// regularised upper incomplete gamma, computed directly: no `1 − cdf` cancellation, so
/// p-values far below 1e-16 keep their digits); NaN for `dof == 0` or a NaN `x`.
pub fn chi2_sf(x: f64, dof: usize) -> f64 {
    if dof == 0 || x.is_nan() {
        return f64::NAN;
    }
    match ChiSquared::new(dof as f64) {
        Ok(c) => c.sf(x.max(0.0)),
        Err(_) => f64::NAN,
    }
}

/// `(JᵀJ)⁻¹` computed through a column-scaled SVD, or `None` when `J` is numerically
/// rank-deficient (relative singular value below `1e-13`) or not finite.
pub fn jtj_inverse(j: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    if j.ncols() == 0 || j.iter().any(|v| !v.is_finite()) {
        return None;
    }
    // J = QR has the singular values of R: decompose the small n × n factor.
    jtj_inverse_of_r(&crate::solve::tall::triangle(j))
}

/// `(JᵀJ)⁻¹ = (RᵀR)⁻¹` from the triangle `R` of a QR of `J` (see [`jtj_inverse`]): columns
/// scaled to unit norm (the norms of `J`'s columns), then the SVD of the scaled `R`.
pub(crate) fn jtj_inverse_of_r(r: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let n = r.ncols();
    if n == 0 || r.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let scale: Vec<f64> = (0..n).map(|k| r.column(k).norm()).collect();
    if scale.contains(&0.0) {
        return None;
    }
    let rs = DMatrix::from_fn(r.nrows(), n, |i, k| r[(i, k)] / scale[k]);
    let svd = rs.svd(false, true);
    let v_t = svd.v_t?;
    let s = &svd.singular_values;
    let smax = s.max();
    if smax.is_nan() || smax <= 0.0 || s.iter().any(|v| *v <= 1e-13 * smax) {
        return None;
    }
    // (JsᵀJs)⁻¹ = V diag(1/s²) Vᵀ, then unscale.
    let inv = DMatrix::from_fn(n, n, |a, b| {
        (0..n)
            .map(|k| v_t[(k, a)] * v_t[(k, b)] / (s[k] * s[k]))
            .sum::<f64>()
            / (scale[a] * scale[b])
    });
    Some(inv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chi2_survival_matches_scipy() {
        // scipy.stats.chi2.sf (SciPy 1.17.1): (3.84, 1) = 0.05004352124870519, (11.07, 5) =
        // 0.050009618622405425, (238, 5) = 2.061121537638544e-49.
        assert!((chi2_sf(3.84, 1) - 0.050_043_521_248_705_19).abs() < 1e-12);
        assert!((chi2_sf(11.07, 5) - 0.050_009_618_622_405_425).abs() < 1e-12);
        assert!((chi2_sf(238.0, 5) / 2.061_121_537_638_544e-49 - 1.0).abs() < 1e-9);
        assert!(chi2_sf(0.0, 3) == 1.0 && chi2_sf(2.0, 0).is_nan());
    }
}
