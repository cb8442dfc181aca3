//! Analytic 95 % intervals of a fit's compute-optimal answers (laws of N and D).
//!
//! - At a budget C: N*, D* and D*/N* by the delta method on their logarithms, the gradient
//!   with respect to the parameters by central differences of the law's frontier; the loss
//!   from the fit's band at (N*, D*): along `C = 6ND` the loss is stationary in the split,
//!   so to first order the frontier's loss moves with the parameters only through the law
//!   itself (the envelope theorem), and its band is the law's band there.
//! - For a target loss: the compute by inverting that frontier band (every C at which the
//!   target lies inside the band of the frontier's loss; `+∞` when the band's upper edge
//!   never comes down to the target, as for a one-input law: [`crate::Fit::required_x`]).
//!   N and D run from the lower 95 % bound of N* (D*) at the lower compute to the upper
//!   bound at the upper compute: the target's uncertainty and the split's together.

use crate::chinchilla::{Allocation, AllocationCi};
use crate::invert::{invert_band, Axis};
use crate::laws::Frontier;
use crate::{stats, Fit, InvertError};
use nalgebra::DMatrix;
use std::f64::consts::LN_10;

/// `ln C` searched along the frontier: 10 … 1e60 FLOP, as the frontier's own inverse.
const LN_C_RANGE: (f64, f64) = (LN_10, 60.0 * LN_10);

/// Relative step of the central differences.
const STEP: f64 = 1e-5;

/// The fit, its covariance, the critical value and the frontier.
struct Ctx<'a> {
    fit: &'a Fit,
    cov: &'a DMatrix<f64>,
    t: f64,
    frontier: &'a dyn Frontier,
}

impl Ctx<'_> {
    /// Delta-method 95 % intervals of N*, D* and D*/N* at `at` (on their logs).
    fn split(&self, at: &Allocation) -> [(f64, f64); 3] {
        let p = &self.fit.params;
        let k = p.len();
        let (mut gn, mut gd) = (vec![0.0; k], vec![0.0; k]);
        let mut q = p.clone();
        for j in 0..k {
            if self.cov[(j, j)] <= 0.0 {
                continue; // pinned: no variance
            }
            let h = STEP * p[j].abs().max(1e-8);
            let mut logs = |v: f64| {
                q[j] = v;
                let a = self.frontier.optimal_allocation(&q, at.compute);
                q[j] = p[j];
                a.map_or((f64::NAN, f64::NAN), |a| (a.n.ln(), a.d.ln()))
            };
            let (up, down) = (logs(p[j] + h), logs(p[j] - h));
            gn[j] = (up.0 - down.0) / (2.0 * h);
            gd[j] = (up.1 - down.1) / (2.0 * h);
        }
        let gr: Vec<f64> = gd.iter().zip(&gn).map(|(d, n)| d - n).collect();
        let around = |v: f64, g: &[f64]| {
            let var: f64 = (0..k)
                .flat_map(|a| (0..k).map(move |b| (a, b)))
                .map(|(a, b)| g[a] * self.cov[(a, b)] * g[b])
                .sum();
            let h = self.t * var.max(0.0).sqrt();
            (v * (-h).exp(), v * h.exp())
        };
        [
            around(at.n, &gn),
            around(at.d, &gd),
            around(at.tokens_per_param, &gr),
        ]
    }

    /// The band of the frontier's loss at `compute` (the law's band at N*, D*).
    fn band(&self, compute: f64) -> (f64, f64) {
        match self.frontier.optimal_allocation(&self.fit.params, compute) {
            Ok(a) => self.fit.band_with_t(a.n, Some(a.d), self.t),
            Err(_) => (f64::NAN, f64::NAN),
        }
    }
}

fn context<'a>(fit: &'a Fit, frontier: &'a dyn Frontier) -> Option<Ctx<'a>> {
    fit.covariance.as_ref().map(|cov| Ctx {
        fit,
        cov,
        t: stats::t95(fit.metrics.dof),
        frontier,
    })
}

/// The 95 % intervals of the compute-optimal split at `compute`; `None` without a
/// covariance.
pub(crate) fn optimal_ci95(
    fit: &Fit,
    frontier: &dyn Frontier,
    compute: f64,
) -> Result<Option<AllocationCi>, InvertError> {
    let at = frontier.optimal_allocation(&fit.params, compute)?;
    let Some(ctx) = context(fit, frontier) else {
        return Ok(None);
    };
    let [n, d, tokens_per_param] = ctx.split(&at);
    Ok(Some(AllocationCi {
        compute: (at.compute, at.compute),
        n,
        d,
        loss: ctx.band(at.compute),
        tokens_per_param,
    }))
}

/// The 95 % intervals of the compute (and its N and D) that reaches `loss`; `None` without
/// a covariance.
pub(crate) fn compute_for_loss_ci95(
    fit: &Fit,
    frontier: &dyn Frontier,
    loss: f64,
) -> Result<Option<AllocationCi>, InvertError> {
    let at = frontier.compute_for_loss(&fit.params, loss)?;
    let Some(ctx) = context(fit, frontier) else {
        return Ok(None);
    };
    let axis = Axis::Log(LN_C_RANGE.0, LN_C_RANGE.1);
    let compute = invert_band(|c| ctx.band(c), loss, at.compute, axis);
    let split_at = |c: f64| {
        if c.is_finite() && c > 0.0 {
            frontier
                .optimal_allocation(&fit.params, c)
                .ok()
                .map(|a| ctx.split(&a))
        } else {
            None
        }
    };
    let (low, high) = (split_at(compute.0), split_at(compute.1));
    // A bound with no split: 0 below the search range, ∞ above it, NaN when unknown.
    let end = |c: f64| {
        if c == 0.0 || c == f64::INFINITY {
            c
        } else {
            f64::NAN
        }
    };
    let pick = |i: usize| {
        (
            low.map_or(end(compute.0), |s| s[i].0),
            high.map_or(end(compute.1), |s| s[i].1),
        )
    };
    let tokens_per_param = match (low, high) {
        (Some(l), Some(h)) => (l[2].0.min(h[2].0), l[2].1.max(h[2].1)),
        _ => (f64::NAN, f64::NAN),
    };
    Ok(Some(AllocationCi {
        compute,
        n: pick(0),
        d: pick(1),
        loss: (loss, loss),
        tokens_per_param,
    }))
}
