//! The generic model interface: residuals and their Jacobian, from any source.

use nalgebra::DMatrix;

/// A least-squares model: `m` residuals of `n` parameters and their Jacobian.
///
/// Implement this for a custom model, or wrap two closures with [`FnModel`].
pub trait ResidualModel {
    /// Number of parameters `n`.
    fn n_params(&self) -> usize;
    /// Number of residuals `m`.
    fn n_residuals(&self) -> usize;
    /// Write the residuals at `p` into `r` (length `m`).
    fn residuals(&self, p: &[f64], r: &mut [f64]);
    /// Write the Jacobian `∂r_i/∂p_j` at `p` into `j` (`m × n`).
    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>);
    /// Both [`residuals`](Self::residuals) and [`jacobian`](Self::jacobian) at `p`; a model
    /// whose residuals and derivatives share work (an `exp` per point, say) overrides it to
    /// do that work once.
    fn residuals_and_jacobian(&self, p: &[f64], r: &mut [f64], j: &mut DMatrix<f64>) {
        self.residuals(p, r);
        self.jacobian(p, j);
    }
    /// Add `Σ_i c_i·∇²r_i(p)` to `h` (`n × n`) and return `true`, or return `false` when
    /// second derivatives are not available (optimisers then difference the gradient).
    fn add_residual_hessians(&self, _p: &[f64], _c: &[f64], _h: &mut DMatrix<f64>) -> bool {
        false
    }
}

/// A [`ResidualModel`] made of two closures.
///
/// ```
/// use scalescope_core::solve::{FnModel, ResidualModel};
/// let x = [1.0, 2.0, 3.0];
/// let y = [2.0, 4.1, 5.9];
/// // r_i = p0·x_i − y_i
/// let m = FnModel::new(
///     1,
///     3,
///     |p: &[f64], r: &mut [f64]| for i in 0..3 { r[i] = p[0] * x[i] - y[i] },
///     |_p: &[f64], j: &mut nalgebra::DMatrix<f64>| for i in 0..3 { j[(i, 0)] = x[i] },
/// );
/// assert_eq!(m.n_residuals(), 3);
/// ```
pub struct FnModel<R, J> {
    n: usize,
    m: usize,
    residuals: R,
    jacobian: J,
}

impl<R, J> FnModel<R, J>
where
    R: Fn(&[f64], &mut [f64]),
    J: Fn(&[f64], &mut DMatrix<f64>),
{
    /// A model with `n` parameters and `m` residuals.
    pub fn new(n: usize, m: usize, residuals: R, jacobian: J) -> Self {
        FnModel {
            n,
            m,
            residuals,
            jacobian,
        }
    }
}

impl<R, J> ResidualModel for FnModel<R, J>
where
    R: Fn(&[f64], &mut [f64]),
    J: Fn(&[f64], &mut DMatrix<f64>),
{
    fn n_params(&self) -> usize {
        self.n
    }
    fn n_residuals(&self) -> usize {
        self.m
    }
    fn residuals(&self, p: &[f64], r: &mut [f64]) {
        (self.residuals)(p, r)
    }
    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) {
        (self.jacobian)(p, j)
    }
}

/// Central finite-difference Jacobian of `model` at `p` (for checking analytic Jacobians).
pub fn numeric_jacobian<M: ResidualModel + ?Sized>(model: &M, p: &[f64]) -> DMatrix<f64> {
    let (n, m) = (model.n_params(), model.n_residuals());
    let mut j = DMatrix::zeros(m, n);
    let mut q = p.to_vec();
    let mut rp = vec![0.0; m];
    let mut rm = vec![0.0; m];
    for k in 0..n {
        let h = f64::EPSILON.cbrt() * if p[k] != 0.0 { p[k].abs() } else { 1e-3 };
        q[k] = p[k] + h;
        model.residuals(&q, &mut rp);
        q[k] = p[k] - h;
        model.residuals(&q, &mut rm);
        q[k] = p[k];
        for i in 0..m {
            j[(i, k)] = (rp[i] - rm[i]) / (2.0 * h);
        }
    }
    j
}
