//! The cost of going off-optimal (issue 14, section 5): a model `k` times the
//! compute-optimal size at a budget (k < 1 smaller, k > 1 larger) reaches the optimum's loss
//! only with more data, `D = k_D·D*`, and so with `k·k_D` times the compute: the overhead
//! is `k·k_D − 1`.
//!
//! Everything is asked of [`Model`]'s frontier (the optimum at the budget, the tokens a
//! model size needs for a loss), so it works for a fit or a preset of any law of N and D.
//! For the Chinchilla law the curve has a closed form that depends only on the exponents
//! ([`CHINCHILLA_FORMULA`], [`chinchilla_overhead`]): at the optimum
//! `α·A·N*^−α = β·B·D*^−β`; write `a = A·N*^−α`, so `B·D*^−β = (α/β)·a`. The model `kN*`
//! needs `B·D^−β = a + (α/β)·a − a·k^−α` to reach the same loss, hence
//! `k_D = (1 + (β/α)(1 − k^−α))^(−1/β)`, finite while `k > (1 + α/β)^(−1/α)` (smaller
//! models never reach the loss).
//!
//! ```
//! use scalescope_core::off_optimal::{off_optimal, chinchilla_overhead};
//! use scalescope_core::presets::{Model, PresetId};
//!
//! let law = PresetId::Hoffmann2022.preset().law;
//! let curve = off_optimal(&Model::published(&law), 5.88e23, &[0.5, 1.0, 2.0])?;
//! let half = curve.points[0].as_ref().unwrap();
//! assert!((half.overhead - chinchilla_overhead(0.34, 0.28, 0.5).unwrap()).abs() < 1e-9);
//! assert!(curve.points[1].as_ref().unwrap().overhead.abs() < 1e-12);
//! # Ok::<(), scalescope_core::InvertError>(())
//! ```

use crate::chinchilla::Allocation;
use crate::presets::Model;
use crate::InvertError;

/// The overhead formula of the Chinchilla law, `L = E + A·N^−α + B·D^−β`.
pub const CHINCHILLA_FORMULA: &str = "overhead(k) = k·(1 + (β/α)·(1 − k^−α))^(−1/β) − 1";

/// One model size off the optimum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OffOptimal {
    /// The model's size against the optimum's, `N/N*`.
    pub k: f64,
    /// Its parameters `k·N*`.
    pub n: f64,
    /// The tokens it needs to reach the optimum's loss.
    pub d: f64,
    /// Those tokens against the optimum's, `D/D*`.
    pub k_d: f64,
    /// The extra compute, `k·k_D − 1` (0 at the optimum, positive elsewhere).
    pub overhead: f64,
}

/// The overhead curve at one budget.
#[derive(Clone, Debug, PartialEq)]
pub struct OffOptimalCurve {
    /// The compute-optimal allocation at the budget, whose loss every point reaches.
    pub optimum: Allocation,
    /// The smallest `k` that can reach that loss at all (with unlimited data).
    pub k_min: f64,
    /// One answer per `k` asked, in order; [`InvertError::Unreachable`] at or below `k_min`.
    pub points: Vec<Result<OffOptimal, InvertError>>,
}

/// The overhead of models `k·N*` for each of `ks`, at the compute-optimal point of
/// `compute` FLOP under `model`.
///
/// # Errors
/// [`InvertError::NoFrontier`] for a one-input law; a non-positive budget or invalid
/// constants. A `k` that cannot reach the loss is an error in its own entry.
pub fn off_optimal(
    model: &Model,
    compute: f64,
    ks: &[f64],
) -> Result<OffOptimalCurve, InvertError> {
    let optimum = model.optimal_allocation(compute)?;
    let k_min = model.min_params_for_loss(optimum.loss)? / optimum.n;
    let points = ks
        .iter()
        .map(|&k| {
            if !(k.is_finite() && k > 0.0) {
                return Err(InvertError::BadArgument {
                    name: "k",
                    value: k,
                });
            }
            let n = k * optimum.n;
            let d = model.tokens_for_loss(n, optimum.loss)?;
            let k_d = d / optimum.d;
            Ok(OffOptimal {
                k,
                n,
                d,
                k_d,
                overhead: k * k_d - 1.0,
            })
        })
        .collect();
    Ok(OffOptimalCurve {
        optimum,
        k_min,
        points,
    })
}

/// The Chinchilla law's overhead at `k` in closed form ([`CHINCHILLA_FORMULA`]), which
/// depends only on the exponents; `None` where the model never reaches the loss.
pub fn chinchilla_overhead(alpha: f64, beta: f64, k: f64) -> Option<f64> {
    let base = 1.0 + (beta / alpha) * (1.0 - k.powf(-alpha));
    (base > 0.0 && k > 0.0).then(|| k * base.powf(-1.0 / beta) - 1.0)
}
