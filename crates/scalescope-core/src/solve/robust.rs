//! Adapters between residual models and objectives: weighting rows for least squares,
//! and the (Huber) sum-of-losses objective with its analytic gradient.

use super::{ResidualModel, SmoothObjective};
use crate::Objective;
use nalgebra::DMatrix;
use std::cell::RefCell;

/// A residual model with each row multiplied by `√w_i`, so that least squares on it
/// minimises `Σ w_i r_i²`.
pub struct Scaled<'a, M: ?Sized> {
    model: &'a M,
    sqrt_w: Option<Vec<f64>>,
}

impl<'a, M: ResidualModel + ?Sized> Scaled<'a, M> {
    /// Weight the rows of `model` by `weights` (none: unweighted).
    pub fn new(model: &'a M, weights: Option<&[f64]>) -> Self {
        Scaled {
            model,
            sqrt_w: weights.map(|w| w.iter().map(|v| v.max(0.0).sqrt()).collect()),
        }
    }
}

impl<M: ResidualModel + ?Sized> Scaled<'_, M> {
    /// Row `i` of `j` times `√w_i`.
    fn weigh_rows(&self, j: &mut DMatrix<f64>) {
        if let Some(s) = &self.sqrt_w {
            for mut col in j.column_iter_mut() {
                col.iter_mut().zip(s).for_each(|(v, s)| *v *= s);
            }
        }
    }
}

impl<M: ResidualModel + ?Sized> ResidualModel for Scaled<'_, M> {
    fn n_params(&self) -> usize {
        self.model.n_params()
    }
    fn n_residuals(&self) -> usize {
        self.model.n_residuals()
    }
    fn residuals(&self, p: &[f64], r: &mut [f64]) {
        self.model.residuals(p, r);
        if let Some(s) = &self.sqrt_w {
            r.iter_mut().zip(s).for_each(|(v, s)| *v *= s);
        }
    }
    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) {
        self.model.jacobian(p, j);
        self.weigh_rows(j);
    }
    fn residuals_and_jacobian(&self, p: &[f64], r: &mut [f64], j: &mut DMatrix<f64>) {
        self.model.residuals_and_jacobian(p, r, j);
        if let Some(s) = &self.sqrt_w {
            r.iter_mut().zip(s).for_each(|(v, s)| *v *= s);
        }
        self.weigh_rows(j);
    }
}

/// `Σ w_i ρ(r_i)` for the loss `ρ` of an [`Objective`] (Huber or squares), as a smooth
/// objective with gradient `Jᵀ(w ρ'(r))`.
pub struct RobustObjective<'a, M: ?Sized> {
    model: &'a M,
    weights: Option<&'a [f64]>,
    objective: Objective,
    scratch: RefCell<(Vec<f64>, DMatrix<f64>)>,
}

impl<'a, M: ResidualModel + ?Sized> RobustObjective<'a, M> {
    /// The objective `objective` over the residuals of `model`, weighted by `weights`.
    pub fn new(model: &'a M, weights: Option<&'a [f64]>, objective: Objective) -> Self {
        RobustObjective {
            model,
            weights,
            objective,
            // Sized on first use: a value needs no Jacobian.
            scratch: RefCell::new((Vec::new(), DMatrix::zeros(0, 0))),
        }
    }

    /// The scratch residuals (and, with `jacobian`, Jacobian) at their sizes.
    fn scratch(&self, jacobian: bool) -> std::cell::RefMut<'_, (Vec<f64>, DMatrix<f64>)> {
        let (m, n) = (self.model.n_residuals(), self.model.n_params());
        let mut s = self.scratch.borrow_mut();
        s.0.resize(m, 0.0);
        if jacobian && s.1.shape() != (m, n) {
            s.1 = DMatrix::zeros(m, n);
        }
        s
    }

    fn w(&self, i: usize) -> f64 {
        self.weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0)
    }
}

impl<M: ResidualModel + ?Sized> SmoothObjective for RobustObjective<'_, M> {
    fn dim(&self) -> usize {
        self.model.n_params()
    }

    fn value(&self, p: &[f64]) -> f64 {
        let mut s = self.scratch(false);
        self.model.residuals(p, &mut s.0);
        s.0.iter()
            .enumerate()
            .map(|(i, r)| self.w(i) * self.objective.rho(*r))
            .sum()
    }

    /// `Σ w·(ρ''(r)·∇r∇rᵀ + ρ'(r)·∇²r)` when the model provides residual Hessians.
    fn hessian(&self, p: &[f64], h: &mut DMatrix<f64>) -> bool {
        let mut guard = self.scratch(true);
        let (r, j) = &mut *guard;
        self.model.residuals_and_jacobian(p, r, j);
        let n = self.model.n_params();
        let c: Vec<f64> = r
            .iter()
            .enumerate()
            .map(|(i, ri)| self.w(i) * self.objective.rho_prime(*ri))
            .collect();
        h.fill(0.0);
        if !self.model.add_residual_hessians(p, &c, h) {
            return false;
        }
        for (i, ri) in r.iter().enumerate() {
            let s = self.w(i) * self.objective.rho_second(*ri);
            if s != 0.0 {
                for a in 0..n {
                    for b in 0..n {
                        h[(a, b)] += s * j[(i, a)] * j[(i, b)];
                    }
                }
            }
        }
        true
    }

    fn value_gradient(&self, p: &[f64], g: &mut [f64]) -> f64 {
        let mut guard = self.scratch(true);
        let (r, j) = &mut *guard;
        self.model.residuals_and_jacobian(p, r, j);
        g.iter_mut().for_each(|v| *v = 0.0);
        let mut f = 0.0;
        for (i, ri) in r.iter().enumerate() {
            let w = self.w(i);
            f += w * self.objective.rho(*ri);
            let d = w * self.objective.rho_prime(*ri);
            if d != 0.0 {
                for (k, gk) in g.iter_mut().enumerate() {
                    *gk += d * j[(i, k)];
                }
            }
        }
        f
    }
}
