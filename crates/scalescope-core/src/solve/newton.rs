//! Damped Newton minimisation of a smooth objective (used to polish Huber fits).
//!
//! Each step solves `(Ĥ + μI)s = −ĝ` in Jacobi-scaled variables (`Ĥ = D⁻¹HD⁻¹`,
//! `D = diag(√|H_jj|)`), so parameters of very different magnitudes (A ≈ 500, alpha ≈ 0.3)
//! are treated alike. μ starts at 0 (a pure Newton step) and follows Nielsen's update. The Hessian is analytic when
//! the objective provides one, else central differences of the analytic gradient.
//! Stopping tests are relative: objective change, step, and the Newton decrement.

use crate::Termination;
use nalgebra::{DMatrix, DVector};

/// A twice-differentiable (or at least C¹) objective with an analytic gradient.
pub trait SmoothObjective {
    /// Number of parameters.
    fn dim(&self) -> usize;
    /// Objective value at `p`, writing the gradient into `g`.
    fn value_gradient(&self, p: &[f64], g: &mut [f64]) -> f64;
    /// Objective value at `p`.
    fn value(&self, p: &[f64]) -> f64 {
        let mut g = vec![0.0; self.dim()];
        self.value_gradient(p, &mut g)
    }
    /// Write the analytic Hessian into `h` and return `true`, or return `false` to have it
    /// estimated from the gradient.
    fn hessian(&self, _p: &[f64], _h: &mut DMatrix<f64>) -> bool {
        false
    }
}

/// Settings for [`minimize`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NewtonOptions {
    /// Stop when an accepted step lowers the objective by at most `ftol·|f|`.
    pub ftol: f64,
    /// Stop when every step component is at most `xtol·(|x_j| + xtol)`.
    pub xtol: f64,
    /// Iteration limit.
    pub max_iter: usize,
}

impl Default for NewtonOptions {
    fn default() -> Self {
        NewtonOptions {
            ftol: 1e-15,
            xtol: 1e-13,
            max_iter: 300,
        }
    }
}

/// Result of [`minimize`].
#[derive(Clone, Debug, PartialEq)]
pub struct NewtonSolution {
    /// Parameters at the end.
    pub params: Vec<f64>,
    /// Objective there.
    pub value: f64,
    /// Why it stopped.
    pub termination: Termination,
}

/// Central-difference Hessian of the analytic gradient, symmetrised.
pub fn numeric_hessian<O: SmoothObjective + ?Sized>(obj: &O, p: &[f64]) -> DMatrix<f64> {
    let n = obj.dim();
    let mut h = DMatrix::zeros(n, n);
    let mut q = p.to_vec();
    let (mut gp, mut gm) = (vec![0.0; n], vec![0.0; n]);
    for k in 0..n {
        let step = 1e-6 * p[k].abs().max(1e-6);
        q[k] = p[k] + step;
        obj.value_gradient(&q, &mut gp);
        q[k] = p[k] - step;
        obj.value_gradient(&q, &mut gm);
        q[k] = p[k];
        for i in 0..n {
            h[(i, k)] = (gp[i] - gm[i]) / (2.0 * step);
        }
    }
    (&h + h.transpose()) * 0.5
}

fn hessian_at<O: SmoothObjective + ?Sized>(obj: &O, p: &[f64]) -> DMatrix<f64> {
    let n = obj.dim();
    let mut h = DMatrix::zeros(n, n);
    if obj.hessian(p, &mut h) {
        h
    } else {
        numeric_hessian(obj, p)
    }
}

/// Minimise `obj` from `start` by damped Newton with relative stopping tests.
pub fn minimize<O: SmoothObjective + ?Sized>(
    obj: &O,
    start: &[f64],
    options: &NewtonOptions,
) -> NewtonSolution {
    let n = obj.dim();
    let fail = |x: Vec<f64>, f: f64, detail| NewtonSolution {
        params: x,
        value: f,
        termination: Termination::Numerical { detail },
    };
    if n == 0 || start.len() != n {
        return fail(start.to_vec(), f64::NAN, "problem dimensions");
    }
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut f = obj.value_gradient(&x, &mut g);
    if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return fail(x, f, "objective at the start");
    }
    // μ = 0 is a pure Newton step; damping starts only when a step fails.
    let mut mu = 0.0;
    let mut nu = 2.0;
    let mut gn = vec![0.0; n];
    for it in 1..=options.max_iter {
        let h = hessian_at(obj, &x);
        if h.iter().any(|v| !v.is_finite()) {
            return fail(x, f, "Hessian");
        }
        let d: Vec<f64> = (0..n)
            .map(|j| {
                let v = h[(j, j)].abs().sqrt();
                if v.is_finite() && v > 0.0 {
                    v
                } else {
                    1.0
                }
            })
            .collect();
        let hs = DMatrix::from_fn(n, n, |i, j| h[(i, j)] / (d[i] * d[j]));
        let gs = DVector::from_fn(n, |i, _| g[i] / d[i]);
        if gs.iter().all(|v| *v == 0.0) {
            return NewtonSolution {
                params: x,
                value: f,
                termination: Termination::Converged {
                    test: "zero gradient",
                    iterations: it - 1,
                },
            };
        }
        let mut accepted = None;
        for _ in 0..60 {
            let a = &hs + DMatrix::identity(n, n) * mu;
            let Some(chol) = a.cholesky() else {
                mu = (mu * 10.0).max(1e-12);
                continue;
            };
            let s = -chol.solve(&gs);
            let step: Vec<f64> = (0..n).map(|j| s[j] / d[j]).collect();
            let xn: Vec<f64> = x.iter().zip(&step).map(|(a, b)| a + b).collect();
            let fnew = obj.value_gradient(&xn, &mut gn);
            let pred = -(gs.dot(&s) + 0.5 * s.dot(&(&hs * &s)));
            if fnew.is_finite() && gn.iter().all(|v| v.is_finite()) && fnew <= f {
                let rho = if pred > 0.0 { (f - fnew) / pred } else { 0.0 };
                mu *= (1.0 - (2.0 * rho - 1.0).powi(3)).max(1.0 / 3.0);
                if mu < 1e-12 {
                    mu = 0.0;
                }
                nu = 2.0;
                accepted = Some((xn, fnew, step));
                break;
            }
            mu = (mu * nu).max(1e-12);
            nu *= 2.0;
            if !mu.is_finite() || mu > 1e30 {
                break;
            }
        }
        let Some((xn, fnew, step)) = accepted else {
            return NewtonSolution {
                params: x,
                value: f,
                termination: Termination::NoProgress {
                    detail: "no step lowers the objective",
                    iterations: it,
                },
            };
        };
        let df = f - fnew;
        let small_step = step
            .iter()
            .zip(&xn)
            .all(|(s, v)| s.abs() <= options.xtol * (v.abs() + options.xtol));
        x = xn;
        f = fnew;
        std::mem::swap(&mut g, &mut gn);
        if df <= options.ftol * f.abs() {
            return NewtonSolution {
                params: x,
                value: f,
                termination: Termination::Converged {
                    test: "relative objective change",
                    iterations: it,
                },
            };
        }
        if small_step {
            return NewtonSolution {
                params: x,
                value: f,
                termination: Termination::Converged {
                    test: "relative step",
                    iterations: it,
                },
            };
        }
    }
    NewtonSolution {
        params: x,
        value: f,
        termination: Termination::MaxIterations {
            iterations: options.max_iter,
        },
    }
}
