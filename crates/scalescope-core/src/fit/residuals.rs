//! A law over a set of points as a residual model, in linear or log space.
//!
//! Logs of the inputs are taken once, so each evaluation costs one `exp` per power term
//! (`x^b = e^(b·ln x)`) and, in log space, one `ln` per point.

use crate::laws::{At, Law, Regressor};
use crate::solve::ResidualModel;
use crate::{Form, Points};
use nalgebra::DMatrix;

/// The most inputs a built-in law takes.
const MAX_INPUTS: usize = 2;

/// A law at a set of points: the residuals `ŷ − y` (or `ln ŷ − ln y`), unweighted, with
/// the logarithms of the inputs taken once. What a law's [`Law::starts`](crate::laws::Law::starts)
/// and [`Law::closed_form`](crate::laws::Law::closed_form) see.
pub struct FormModel<'a> {
    /// Which law.
    pub form: Form,
    /// The law itself.
    pub law: &'static dyn Law,
    /// The observations.
    pub points: &'a Points,
    /// Whether residuals are taken in log space.
    pub log: bool,
    /// `ln y` (log space only).
    pub ln_y: Vec<f64>,
    /// `ln` of each input column (x, then D for a law of N and D).
    ln_in: [Vec<f64>; MAX_INPUTS],
    /// How many inputs the law takes (at most [`MAX_INPUTS`]).
    inputs: usize,
}

impl<'a> FormModel<'a> {
    /// The residual model of `form` at `points`.
    pub fn new(form: Form, points: &'a Points, log: bool) -> Self {
        let law = form.law();
        let ln = |v: &[f64]| v.iter().map(|t| t.ln()).collect::<Vec<f64>>();
        let ln_y = if log { ln(&points.y) } else { Vec::new() };
        let ln_d = match (&points.d, law.inputs().len()) {
            (Some(d), 2) => ln(d),
            _ => Vec::new(),
        };
        FormModel {
            form,
            law,
            points,
            log,
            ln_y,
            ln_in: [ln(&points.x), ln_d],
            inputs: law.inputs().len().min(MAX_INPUTS),
        }
    }

    /// `ln x` (or `ln N`) of every point.
    pub fn ln_x(&self) -> &[f64] {
        &self.ln_in[0]
    }

    /// `ln D` of every point (laws of N and D only; empty otherwise).
    pub fn ln_d(&self) -> &[f64] {
        &self.ln_in[1]
    }

    /// The mean of `y` (a flat start when nothing better exists).
    pub fn mean_y(&self) -> f64 {
        self.points.y.iter().sum::<f64>() / self.points.len().max(1) as f64
    }

    /// Call `f` with point `i` as the law's [`At`].
    #[inline]
    fn at<R>(&self, i: usize, f: impl FnOnce(At) -> R) -> R {
        let d = self.points.d_at(i).unwrap_or(f64::NAN);
        let ld = self.ln_in[1].get(i).copied().unwrap_or(f64::NAN);
        let (x, ln) = ([self.points.x[i], d], [self.ln_in[0][i], ld]);
        let k = self.inputs;
        f(At {
            x: &x[..k],
            ln: &ln[..k],
        })
    }

    /// Model value at point `i`, and its parameter gradient in `g` when given.
    #[inline]
    pub fn value(&self, p: &[f64], i: usize, g: Option<&mut [f64]>) -> f64 {
        self.at(i, |at| self.law.value(p, at, g))
    }

    /// The regressor `z` of every point for a log-linear law (`ln x` or `x`).
    pub(crate) fn regressor(&self, z: Regressor) -> &[f64] {
        match z {
            Regressor::LnX => &self.ln_in[0],
            Regressor::X => &self.points.x,
        }
    }

    /// The log-space residuals `ln a + b·z − ln y` of a log-linear law at `p` (log space,
    /// `a > 0`; else `None`), without an `ln` of the model values.
    pub(crate) fn log_linear(&self, p: &[f64]) -> Option<(f64, &[f64])> {
        match (self.log, self.law.log_linear()) {
            (true, Some(z)) if p[0] > 0.0 => Some((p[0].ln(), self.regressor(z))),
            _ => None,
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
        self.law.params().len()
    }

    fn n_residuals(&self) -> usize {
        self.points.len()
    }

    fn residuals(&self, p: &[f64], r: &mut [f64]) {
        // Power and exponential are linear in log space: ln ŷ = ln a + b·z.
        if let Some((ln_a, z)) = self.log_linear(p) {
            for ((ri, zi), ly) in r.iter_mut().zip(z).zip(&self.ln_y) {
                *ri = ln_a + p[1] * zi - ly;
            }
            return;
        }
        for (i, ri) in r.iter_mut().enumerate() {
            *ri = self.residual_of(i, self.value(p, i, None));
        }
    }

    fn residuals_and_jacobian(&self, p: &[f64], r: &mut [f64], j: &mut DMatrix<f64>) {
        let n = self.n_params();
        let mut g = vec![0.0; n];
        // ln ŷ = ln a + b·z where the law is log-linear (no `ln` per point).
        let log_linear = self.log_linear(p);
        for (i, ri) in r.iter_mut().enumerate() {
            let yhat = self.value(p, i, Some(&mut g));
            *ri = match log_linear {
                Some((ln_a, z)) => ln_a + p[1] * z[i] - self.ln_y[i],
                None => self.residual_of(i, yhat),
            };
            let s = if self.log {
                1.0 / yhat.max(f64::MIN_POSITIVE)
            } else {
                1.0
            };
            for (k, gk) in g.iter().enumerate() {
                j[(i, k)] = gk * s;
            }
        }
    }

    fn jacobian(&self, p: &[f64], j: &mut DMatrix<f64>) {
        let n = self.n_params();
        let mut g = vec![0.0; n];
        for i in 0..self.points.len() {
            let yhat = self.value(p, i, Some(&mut g));
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
        let k = self.n_params();
        let mut hm = vec![0.0; k * k];
        let mut g = vec![0.0; k];
        for (i, ci) in c.iter().enumerate() {
            if *ci == 0.0 {
                continue;
            }
            hm.iter_mut().for_each(|v| *v = 0.0);
            if !self.at(i, |at| self.law.hessian(p, at, &mut hm)) {
                return false;
            }
            if self.log {
                // ∇²ln ŷ = ∇²ŷ/ŷ − ∇ŷ∇ŷᵀ/ŷ²
                let yhat = self.value(p, i, Some(&mut g)).max(f64::MIN_POSITIVE);
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
