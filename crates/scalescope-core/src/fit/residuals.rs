//! A form over a set of points as a residual model, in linear or log space.

use crate::solve::ResidualModel;
use crate::{Form, Points};
use nalgebra::DMatrix;

/// Residuals `ŷ − y` (or `ln ŷ − ln y`) of `form` at the points, unweighted.
pub(crate) struct FormModel<'a> {
    pub form: Form,
    pub points: &'a Points,
    pub log: bool,
    ln_y: Vec<f64>,
}

impl<'a> FormModel<'a> {
    pub fn new(form: Form, points: &'a Points, log: bool) -> Self {
        let ln_y = if log {
            points.y.iter().map(|v| v.ln()).collect()
        } else {
            Vec::new()
        };
        FormModel {
            form,
            points,
            log,
            ln_y,
        }
    }
}

impl ResidualModel for FormModel<'_> {
    fn n_params(&self) -> usize {
        self.form.n_params()
    }

    fn n_residuals(&self) -> usize {
        self.points.len()
    }

    fn residuals(&self, p: &[f64], r: &mut [f64]) {
        for (i, ri) in r.iter_mut().enumerate() {
            let yhat = self.form.eval(p, self.points.x[i], self.points.d_at(i));
            *ri = if self.log {
                // A non-positive prediction has no log: a huge residual makes the optimiser
                // step back instead of stopping on NaN.
                yhat.max(f64::MIN_POSITIVE).ln() - self.ln_y[i]
            } else {
                yhat - self.points.y[i]
            };
        }
    }

    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) {
        let n = self.form.n_params();
        let mut g = vec![0.0; n];
        for i in 0..self.points.len() {
            let (x, d) = (self.points.x[i], self.points.d_at(i));
            self.form.gradient(p, x, d, &mut g);
            let s = if self.log {
                1.0 / self.form.eval(p, x, d).max(f64::MIN_POSITIVE)
            } else {
                1.0
            };
            for k in 0..n {
                j[(i, k)] = g[k] * s;
            }
        }
    }

    fn add_residual_hessians(&self, p: &[f64], c: &[f64], h: &mut DMatrix<f64>) -> bool {
        let k = self.form.n_params();
        let mut hm = vec![0.0; k * k];
        let mut g = vec![0.0; k];
        for (i, ci) in c.iter().enumerate() {
            if *ci == 0.0 {
                continue;
            }
            let (x, d) = (self.points.x[i], self.points.d_at(i));
            self.form.hessian(p, x, d, &mut hm);
            if self.log {
                // ∇²ln ŷ = ∇²ŷ/ŷ − ∇ŷ∇ŷᵀ/ŷ²
                let yhat = self.form.eval(p, x, d).max(f64::MIN_POSITIVE);
                self.form.gradient(p, x, d, &mut g);
                for a in 0..k {
                    for b in 0..k {
                        h[(a, b)] += ci * (hm[a * k + b] / yhat - g[a] * g[b] / (yhat * yhat));
                    }
                }
            } else {
                for a in 0..k {
                    for b in 0..k {
                        h[(a, b)] += ci * hm[a * k + b];
                    }
                }
            }
        }
        true
    }
}
