//! The published protocol (Hoffmann et al. 2022, as replicated by Epoch AI 2024): L-BFGS on
//! the log-sum-exp parameterisation from a grid of 4500 starts, keeping the best.
//!
//! `ln L̂ = LSE(a − alpha·ln N, b − beta·ln D, e)` with `A = eᵃ`, `B = eᵇ`, `E = eᵉ`; starts
//! alpha, beta ∈ {0, 0.5, …, 2}, e ∈ {−1, −0.5, …, 1}, a, b ∈ {0, 5, …, 25}. Unlike the
//! original, the objective handed to L-BFGS is divided by its value at the start, so the
//! library's absolute tolerances act as relative ones.

use crate::{Objective, Points};
use argmin::core::{
    CostFunction, Error, Executor, Gradient, State, TerminationReason, TerminationStatus,
};
use argmin::solver::linesearch::MoreThuenteLineSearch;
use argmin::solver::quasinewton::LBFGS;
use std::cell::RefCell;

/// The objective (Huber or squares, log or linear residuals) in the log-sum-exp parameters
/// `[e, a, b, alpha, beta]`.
pub(crate) struct LseObjective {
    ln_n: Vec<f64>,
    ln_d: Vec<f64>,
    ln_y: Vec<f64>,
    y: Vec<f64>,
    log: bool,
    w: Vec<f64>,
    objective: Objective,
    /// Divide the objective by this (its value at the start).
    pub scale: f64,
    /// Last point evaluated, with its value and gradient: argmin asks for the cost and the
    /// gradient at the same point separately, and one pass computes both.
    cache: RefCell<(Vec<f64>, f64, Vec<f64>)>,
}

impl LseObjective {
    pub fn new(points: &Points, objective: Objective) -> Self {
        let n = points.len();
        LseObjective {
            ln_n: points.x.iter().map(|v| v.ln()).collect(),
            ln_d: (0..n)
                .map(|i| points.d_at(i).unwrap_or(f64::NAN).ln())
                .collect(),
            ln_y: points.y.iter().map(|v| v.ln()).collect(),
            y: points.y.clone(),
            log: objective.is_log(),
            w: (0..n).map(|i| points.weight(i)).collect(),
            objective,
            scale: 1.0,
            cache: RefCell::new((Vec::new(), f64::NAN, vec![0.0; 5])),
        }
    }

    /// Unscaled objective, with its gradient in `g` when given.
    pub fn eval(&self, p: &[f64], mut g: Option<&mut [f64]>) -> f64 {
        if let Some(g) = g.as_deref_mut() {
            g.iter_mut().for_each(|v| *v = 0.0);
        }
        let mut f = 0.0;
        for i in 0..self.ln_y.len() {
            let u = [p[1] - p[3] * self.ln_n[i], p[2] - p[4] * self.ln_d[i], p[0]];
            let m = u[0].max(u[1]).max(u[2]);
            // e^(u_k − m), with the largest term exactly 1 (one exp saved per point).
            let ex = u.map(|v| if v == m { 1.0 } else { (v - m).exp() });
            let s = ex[0] + ex[1] + ex[2];
            // Log residual ln ŷ − ln y with ∂r/∂u_k = ex_k/s, or linear ŷ − y with
            // ∂r/∂u_k = e^m·ex_k.
            let (r, scale) = if self.log {
                (m + s.ln() - self.ln_y[i], 1.0 / s)
            } else {
                let em = m.exp();
                (em * s - self.y[i], em)
            };
            f += self.w[i] * self.objective.rho(r);
            if let Some(g) = g.as_deref_mut() {
                let d = self.w[i] * self.objective.rho_prime(r) * scale;
                g[0] += d * ex[2];
                g[1] += d * ex[0];
                g[2] += d * ex[1];
                g[3] -= d * ex[0] * self.ln_n[i];
                g[4] -= d * ex[1] * self.ln_d[i];
            }
        }
        f
    }

    /// Scaled value and gradient at `p`, from the cache when `p` was the last point.
    fn cached(&self, p: &[f64]) -> (f64, Vec<f64>) {
        let mut c = self.cache.borrow_mut();
        if c.0.as_slice() != p {
            let mut g = vec![0.0; 5];
            let f = self.eval(p, Some(&mut g)) / self.scale;
            g.iter_mut().for_each(|v| *v /= self.scale);
            *c = (p.to_vec(), f, g);
        }
        (c.1, c.2.clone())
    }
}

impl CostFunction for LseObjective {
    type Param = Vec<f64>;
    type Output = f64;
    fn cost(&self, p: &Vec<f64>) -> Result<f64, Error> {
        Ok(self.cached(p).0)
    }
}

impl Gradient for LseObjective {
    type Param = Vec<f64>;
    type Gradient = Vec<f64>;
    fn gradient(&self, p: &Vec<f64>) -> Result<Vec<f64>, Error> {
        Ok(self.cached(p).1)
    }
}

/// The 4500 published starts `[e, a, b, alpha, beta]`.
pub(crate) fn published_starts() -> Vec<[f64; 5]> {
    let exps = [0.0, 0.5, 1.0, 1.5, 2.0];
    let es = [-1.0, -0.5, 0.0, 0.5, 1.0];
    let coefs = [0.0, 5.0, 10.0, 15.0, 20.0, 25.0];
    let mut v = Vec::with_capacity(4500);
    for &alpha in &exps {
        for &beta in &exps {
            for &e in &es {
                for &a in &coefs {
                    for &b in &coefs {
                        v.push([e, a, b, alpha, beta]);
                    }
                }
            }
        }
    }
    v
}

/// Result of one L-BFGS run.
pub(crate) struct LbfgsRun {
    pub params: Vec<f64>,
    pub value: f64,
    pub iterations: u64,
    pub converged: bool,
}

/// L-BFGS (memory 10, Moré–Thuente line search) from `start`.
pub(crate) fn lbfgs(points: &Points, objective: Objective, start: &[f64]) -> Option<LbfgsRun> {
    let mut problem = LseObjective::new(points, objective);
    let f0 = problem.eval(start, None);
    if !(f0.is_finite() && f0 > 0.0) {
        return None;
    }
    problem.scale = f0;
    let solver = LBFGS::new(MoreThuenteLineSearch::new(), 10)
        .with_tolerance_grad(1e-11)
        .ok()?
        .with_tolerance_cost(1e-15)
        .ok()?;
    // No timer: no clock calls (which would go through JavaScript on wasm32).
    let res = Executor::new(problem, solver)
        .timer(false)
        .configure(|s| s.param(start.to_vec()).max_iters(1000))
        .run()
        .ok()?;
    let state = res.state();
    let params = state.get_best_param()?.clone();
    let value = state.get_best_cost() * f0;
    let converged = matches!(
        state.get_termination_status(),
        TerminationStatus::Terminated(TerminationReason::SolverConverged)
    );
    Some(LbfgsRun {
        params,
        value,
        iterations: state.get_iter(),
        converged,
    })
}

/// `[e, a, b, alpha, beta]` → `[E, A, B, alpha, beta]`.
pub(crate) fn to_natural(p: &[f64]) -> Vec<f64> {
    vec![p[0].exp(), p[1].exp(), p[2].exp(), p[3], p[4]]
}
