//! A form over a set of points as a residual model, in linear or log space.
//!
//! Logs of the inputs are taken once, so each evaluation costs one `exp` per power term
//! (`x^b = e^(b·ln x)`) and, in log space, one `ln` per point.

use crate::solve::ResidualModel;
use crate::{Form, Points};
use nalgebra::DMatrix;

/// Residuals `ŷ − y` (or `ln ŷ − ln y`) of `form` at the points, unweighted.
pub(crate) struct FormModel<'a> {
    pub form: Form,
    pub points: &'a Points,
    pub log: bool,
    /// `ln y` (log space only).
    pub ln_y: Vec<f64>,
    ln_x: Vec<f64>,
    ln_d: Vec<f64>,
}

impl<'a> FormModel<'a> {
    pub fn new(form: Form, points: &'a Points, log: bool) -> Self {
        let ln = |v: &[f64]| v.iter().map(|t| t.ln()).collect::<Vec<f64>>();
        let ln_y = if log { ln(&points.y) } else { Vec::new() };
        let ln_x = match form {
            Form::Exponential => Vec::new(),
            _ => ln(&points.x),
        };
        let ln_d = match (form, &points.d) {
            (Form::Chinchilla, Some(d)) => ln(d),
            _ => Vec::new(),
        };
        FormModel {
            form,
            points,
            log,
            ln_y,
            ln_x,
            ln_d,
        }
    }

    /// `ln x` of every point (empty for the exponential form, which does not need it).
    pub fn ln_x(&self) -> &[f64] {
        &self.ln_x
    }

    /// `ln D` of every point (chinchilla only; empty otherwise).
    pub fn ln_d(&self) -> &[f64] {
        &self.ln_d
    }

    /// Model value at point `i`, and its parameter gradient in `g` when given.
    #[inline]
    pub fn value(&self, p: &[f64], i: usize, g: Option<&mut [f64]>) -> f64 {
        let lx = || self.ln_x[i];
        match self.form {
            Form::Power => {
                let t = (p[1] * lx()).exp();
                if let Some(g) = g {
                    g[0] = t;
                    g[1] = p[0] * t * lx();
                }
                p[0] * t
            }
            Form::Log => {
                if let Some(g) = g {
                    g[0] = 1.0;
                    g[1] = lx();
                }
                p[0] + p[1] * lx()
            }
            Form::Saturating => {
                let t = (-p[2] * lx()).exp();
                if let Some(g) = g {
                    g[0] = 1.0;
                    g[1] = t;
                    g[2] = -p[1] * t * lx();
                }
                p[0] + p[1] * t
            }
            Form::Exponential => {
                let x = self.points.x[i];
                let t = (p[1] * x).exp();
                if let Some(g) = g {
                    g[0] = t;
                    g[1] = p[0] * x * t;
                }
                p[0] * t
            }
            Form::Chinchilla => {
                let ld = self.ln_d.get(i).copied().unwrap_or(f64::NAN);
                let t = (-p[3] * lx()).exp();
                let s = (-p[4] * ld).exp();
                if let Some(g) = g {
                    g[0] = 1.0;
                    g[1] = t;
                    g[2] = s;
                    g[3] = -p[1] * t * lx();
                    g[4] = -p[2] * s * ld;
                }
                p[0] + p[1] * t + p[2] * s
            }
        }
    }

    /// Fit-space residual from a model value.
    #[inline]
    pub fn residual_of(&self, i: usize, yhat: f64) -> f64 {
        if self.log {
            // A non-positive prediction has no log: a huge residual makes the optimiser
            // step back instead of stopping on NaN.
            yhat.max(f64::MIN_POSITIVE).ln() - self.ln_y[i]
        } else {
            yhat - self.points.y[i]
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
        // Power and exponential are linear in log space: ln ŷ = ln a + b·z.
        if self.log && p[0] > 0.0 && matches!(self.form, Form::Power | Form::Exponential) {
            let ln_a = p[0].ln();
            for (i, ri) in r.iter_mut().enumerate() {
                let z = match self.form {
                    Form::Power => self.ln_x[i],
                    _ => self.points.x[i],
                };
                *ri = ln_a + p[1] * z - self.ln_y[i];
            }
            return;
        }
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = self.residual_of(i, self.value(p, i, None));
        }
    }

    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) {
        let n = self.form.n_params();
        let mut g = [0.0; 5];
        for i in 0..self.points.len() {
            let yhat = self.value(p, i, Some(&mut g[..n]));
            let s = if self.log {
                1.0 / yhat.max(f64::MIN_POSITIVE)
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
        let mut g = [0.0; 5];
        for (i, ci) in c.iter().enumerate() {
            if *ci == 0.0 {
                continue;
            }
            let (x, d) = (self.points.x[i], self.points.d_at(i));
            self.form.hessian(p, x, d, &mut hm);
            if self.log {
                // ∇²ln ŷ = ∇²ŷ/ŷ − ∇ŷ∇ŷᵀ/ŷ²
                let yhat = self.value(p, i, Some(&mut g[..k])).max(f64::MIN_POSITIVE);
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
