//! Chinchilla compute: optimal allocation for `C = 6ND`, the compute needed for a target
//! loss, and the data needed for a given model size.
//!
//! With `L = E + A·N^−α + B·D^−β` and `C = 6ND`, the loss-minimising split is
//! `N* = G·(C/6)^a`, `D* = G⁻¹·(C/6)^b` with `G = (αA/(βB))^(1/(α+β))`, `a = β/(α+β)`,
//! `b = α/(α+β)` (Hoffmann et al. 2022, eq. 4). Along that path
//! `L(C) = E + K·(C/6)^−γ` with `γ = αβ/(α+β)` and `K = A·G^−α + B·G^β`, which inverts in
//! closed form.
//!
//! ```
//! use scalescope_core::chinchilla::{optimal_allocation, compute_for_loss, ChinchillaParams};
//! let p = ChinchillaParams { e: 1.69, a: 406.4, b: 410.7, alpha: 0.34, beta: 0.28 };
//! let at = optimal_allocation(&p, 5.88e23)?;
//! assert!((at.n / 3.249e10 - 1.0).abs() < 5e-4);
//! let back = compute_for_loss(&p, at.loss)?;
//! assert!((back.compute / 5.88e23 - 1.0).abs() < 1e-10);
//! # Ok::<(), scalescope_core::InvertError>(())
//! ```

use crate::InvertError;

/// Parameters of `L = E + A·N^−alpha + B·D^−beta`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ChinchillaParams {
    /// Irreducible loss E.
    pub e: f64,
    /// Model-size coefficient A.
    pub a: f64,
    /// Data coefficient B.
    pub b: f64,
    /// Model-size exponent alpha.
    pub alpha: f64,
    /// Data exponent beta.
    pub beta: f64,
}

/// A point on the compute-optimal frontier.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Allocation {
    /// Training compute C = 6ND (FLOP).
    pub compute: f64,
    /// Parameters N.
    pub n: f64,
    /// Training tokens D.
    pub d: f64,
    /// Predicted loss at (N, D).
    pub loss: f64,
    /// Tokens per parameter D/N.
    pub tokens_per_param: f64,
}

/// 95 % intervals of a compute-optimal allocation, one per quantity (the bootstrap's
/// percentile intervals, or a fit's analytic ones: [`crate::presets::Model::optimal_ci95`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct AllocationCi {
    /// Compute in FLOP.
    pub compute: (f64, f64),
    /// Parameters N*.
    pub n: (f64, f64),
    /// Tokens D*.
    pub d: (f64, f64),
    /// The loss there.
    pub loss: (f64, f64),
    /// D*/N*.
    pub tokens_per_param: (f64, f64),
}

impl ChinchillaParams {
    /// Predicted loss at `n` parameters and `d` tokens.
    pub fn loss(&self, n: f64, d: f64) -> f64 {
        self.e + self.a * n.powf(-self.alpha) + self.b * d.powf(-self.beta)
    }

    fn check(&self) -> Result<(), InvertError> {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !(ok(self.a) && ok(self.b) && ok(self.alpha) && ok(self.beta) && self.e.is_finite()) {
            return Err(InvertError::BadParams(format!(
                "A, B, alpha and beta must be positive (A = {}, B = {}, alpha = {}, beta = {})",
                self.a, self.b, self.alpha, self.beta
            )));
        }
        Ok(())
    }

    /// `G = (αA/(βB))^(1/(α+β))`.
    fn g(&self) -> f64 {
        ((self.alpha * self.a) / (self.beta * self.b)).powf(1.0 / (self.alpha + self.beta))
    }

    fn allocation_at(&self, compute: f64) -> Allocation {
        let s = compute / 6.0;
        let sum = self.alpha + self.beta;
        let g = self.g();
        let n = g * s.powf(self.beta / sum);
        let d = s.powf(self.alpha / sum) / g;
        Allocation {
            compute,
            n,
            d,
            loss: self.loss(n, d),
            tokens_per_param: d / n,
        }
    }
}

fn positive(name: &'static str, value: f64) -> Result<f64, InvertError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(InvertError::BadArgument { name, value })
    }
}

/// The compute-optimal N and D for `compute` FLOP (C = 6ND), and the loss there.
///
/// # Errors
/// Non-positive compute, or parameters that are not a decreasing law.
pub fn optimal_allocation(p: &ChinchillaParams, compute: f64) -> Result<Allocation, InvertError> {
    p.check()?;
    positive("compute", compute)?;
    Ok(p.allocation_at(compute))
}

/// The least compute that reaches `loss` (with its optimal allocation).
///
/// # Errors
/// [`InvertError::Unreachable`] when `loss ≤ E`.
pub fn compute_for_loss(p: &ChinchillaParams, loss: f64) -> Result<Allocation, InvertError> {
    p.check()?;
    if !loss.is_finite() {
        return Err(InvertError::BadArgument {
            name: "loss",
            value: loss,
        });
    }
    if loss <= p.e {
        return Err(InvertError::Unreachable {
            target: loss,
            reason: format!(
                "no amount of compute gets below the irreducible loss E = {}",
                p.e
            ),
        });
    }
    let sum = p.alpha + p.beta;
    let gamma = p.alpha * p.beta / sum;
    let g = p.g();
    let k = p.a * g.powf(-p.alpha) + p.b * g.powf(p.beta);
    let s = ((loss - p.e) / k).powf(-1.0 / gamma);
    let compute = 6.0 * s;
    if !compute.is_finite() {
        return Err(InvertError::Unreachable {
            target: loss,
            reason: "the compute needed overflows".into(),
        });
    }
    Ok(p.allocation_at(compute))
}

/// Tokens D needed by a model of `n` parameters to reach `loss`.
///
/// # Errors
/// [`InvertError::Unreachable`] when even infinite data leaves the loss above target
/// (`loss ≤ E + A·N^−alpha`).
pub fn tokens_for_loss(p: &ChinchillaParams, n: f64, loss: f64) -> Result<f64, InvertError> {
    p.check()?;
    positive("N", n)?;
    if !loss.is_finite() {
        return Err(InvertError::BadArgument {
            name: "loss",
            value: loss,
        });
    }
    let floor = p.e + p.a * n.powf(-p.alpha);
    if loss <= floor {
        return Err(InvertError::Unreachable {
            target: loss,
            reason: format!(
                "a model of {n:e} parameters cannot go below {floor} however much data it sees"
            ),
        });
    }
    let d = ((loss - floor) / p.b).powf(-1.0 / p.beta);
    if d.is_finite() {
        Ok(d)
    } else {
        Err(InvertError::Unreachable {
            target: loss,
            reason: "the data needed overflows".into(),
        })
    }
}

/// The fewest parameters that reach `loss` with unlimited data: `N = (A/(L − E))^(1/alpha)`.
///
/// # Errors
/// [`InvertError::Unreachable`] at or below the irreducible loss E.
pub fn min_params_for_loss(p: &ChinchillaParams, loss: f64) -> Result<f64, InvertError> {
    p.check()?;
    if !loss.is_finite() {
        return Err(InvertError::BadArgument {
            name: "loss",
            value: loss,
        });
    }
    if loss <= p.e {
        return Err(InvertError::Unreachable {
            target: loss,
            reason: format!("no model gets below the irreducible loss E = {}", p.e),
        });
    }
    let n = (p.a / (loss - p.e)).powf(1.0 / p.alpha);
    if n.is_finite() {
        Ok(n)
    } else {
        Err(InvertError::Unreachable {
            target: loss,
            reason: "the model size needed overflows".into(),
        })
    }
}
