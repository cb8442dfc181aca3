//! Positivity by reparameterisation: selected parameters are written `θ_k = e^{φ_k}` and the
//! optimiser works on φ. Hoffmann et al.'s log-sum-exp form does this for E, A and B; it
//! keeps chinchilla fits out of the valley at infinity where a negative coefficient with a
//! vanishing exponent imitates a log term.

use super::ResidualModel;
use nalgebra::DMatrix;
use std::cell::RefCell;

/// `model` seen through `θ_k = e^{φ_k}` for the parameters flagged in `positive`. The
/// model is a trait object: one compiled wrapper for every kind of model.
pub struct LogParams<'a> {
    model: &'a dyn ResidualModel,
    positive: Vec<bool>,
    jac: RefCell<DMatrix<f64>>,
}

impl<'a> LogParams<'a> {
    /// Wrap `model`; `positive[k]` marks the parameters to keep positive.
    pub fn new(model: &'a dyn ResidualModel, positive: &[bool]) -> Self {
        LogParams {
            model,
            positive: positive.to_vec(),
            // Allocated on first use (only the Newton polish asks for Hessians).
            jac: RefCell::new(DMatrix::zeros(0, 0)),
        }
    }

    /// φ → θ.
    pub fn to_natural(&self, phi: &[f64]) -> Vec<f64> {
        phi.iter()
            .zip(&self.positive)
            .map(|(v, pos)| if *pos { v.exp() } else { *v })
            .collect()
    }

    /// θ → φ, or `None` when a flagged parameter is not positive.
    pub fn from_natural(&self, theta: &[f64]) -> Option<Vec<f64>> {
        theta
            .iter()
            .zip(&self.positive)
            .map(|(v, pos)| match (*pos, *v > 0.0) {
                (true, true) => Some(v.ln()),
                (true, false) => None,
                (false, _) => Some(*v),
            })
            .collect()
    }
}

impl LogParams<'_> {
    /// The chain rule `∂r/∂φ_k = ∂r/∂θ_k·θ_k` on the flagged columns of `j`.
    fn chain(&self, theta: &[f64], j: &mut DMatrix<f64>) {
        for (k, pos) in self.positive.iter().enumerate() {
            if *pos {
                j.column_mut(k).scale_mut(theta[k]);
            }
        }
    }
}

impl ResidualModel for LogParams<'_> {
    fn n_params(&self) -> usize {
        self.model.n_params()
    }
    fn n_residuals(&self) -> usize {
        self.model.n_residuals()
    }
    fn residuals(&self, phi: &[f64], r: &mut [f64]) {
        self.model.residuals(&self.to_natural(phi), r);
    }
    fn jacobian(&self, phi: &[f64], j: &mut DMatrix<f64>) {
        let theta = self.to_natural(phi);
        self.model.jacobian(&theta, j);
        self.chain(&theta, j);
    }
    fn residuals_and_jacobian(&self, phi: &[f64], r: &mut [f64], j: &mut DMatrix<f64>) {
        let theta = self.to_natural(phi);
        self.model.residuals_and_jacobian(&theta, r, j);
        self.chain(&theta, j);
    }
    /// `∇²_φ r = D·∇²_θ r·D + diag(∂r/∂θ_k·θ_k)` over the flagged k, with `D = diag(dθ/dφ)`.
    fn add_residual_hessians(&self, phi: &[f64], c: &[f64], h: &mut DMatrix<f64>) -> bool {
        let theta = self.to_natural(phi);
        let n = theta.len();
        let mut inner = DMatrix::zeros(n, n);
        if !self.model.add_residual_hessians(&theta, c, &mut inner) {
            return false;
        }
        let d: Vec<f64> = (0..n)
            .map(|k| if self.positive[k] { theta[k] } else { 1.0 })
            .collect();
        for a in 0..n {
            for b in 0..n {
                h[(a, b)] += d[a] * inner[(a, b)] * d[b];
            }
        }
        let mut j = self.jac.borrow_mut();
        if j.shape() != (self.model.n_residuals(), n) {
            *j = DMatrix::zeros(self.model.n_residuals(), n);
        }
        self.model.jacobian(&theta, &mut j);
        for k in 0..n {
            if self.positive[k] {
                let s: f64 = c.iter().enumerate().map(|(i, ci)| ci * j[(i, k)]).sum();
                h[(k, k)] += s * theta[k];
            }
        }
        true
    }
}
