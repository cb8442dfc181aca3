//! Small statistics helpers: Student's t quantile (via `statrs`, which builds for wasm with
//! default features off) and a scale-robust covariance inverse.

use nalgebra::DMatrix;
use statrs::distribution::{ContinuousCDF, StudentsT};

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

/// `(JᵀJ)⁻¹` computed through a column-scaled SVD, or `None` when `J` is numerically
/// rank-deficient (relative singular value below `1e-13`) or not finite.
pub fn jtj_inverse(j: &DMatrix<f64>) -> Option<DMatrix<f64>> {
    let n = j.ncols();
    if n == 0 || j.iter().any(|v| !v.is_finite()) {
        return None;
    }
    let scale: Vec<f64> = (0..n).map(|k| j.column(k).norm()).collect();
    if scale.contains(&0.0) {
        return None;
    }
    let js = DMatrix::from_fn(j.nrows(), n, |i, k| j[(i, k)] / scale[k]);
    // J = QR has the singular values of R: decompose the small n × n factor.
    let r = if js.nrows() > n { js.qr().r() } else { js };
    let svd = r.svd(false, true);
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
