//! Globalisation for least squares: when Levenberg–Marquardt ends where a parameter has lost
//! its influence (a column of the Jacobian has vanished, as when an exponential rate runs
//! off to infinity and the curve goes flat), or without converging, restart from the start
//! with each parameter scaled by 10^±1 and keep the lowest sum of squares.

use super::{least_squares, LsOptions, LsSolution, ResidualModel};
use nalgebra::DMatrix;

/// [`least_squares`] with restarts when the first run stalls in a degenerate region.
///
/// The first run is kept unless it did not converge or its Jacobian is numerically
/// rank-deficient at the end; then up to `2n` restarts (each parameter ×10 and ×0.1 in turn)
/// are tried and the lowest-SSE converged result is returned.
pub fn least_squares_rescued(
    model: &dyn ResidualModel,
    start: &[f64],
    options: &LsOptions,
) -> LsSolution {
    let first = least_squares(model, start, options);
    if first.termination.converged() && !degenerate(model, &first.params) {
        return first;
    }
    let mut best = first;
    for k in 0..start.len() {
        for factor in [10.0, 0.1] {
            let mut s = start.to_vec();
            s[k] *= factor;
            let run = least_squares(model, &s, options);
            let better = run.sse.is_finite()
                && run.termination.converged()
                && (!best.termination.converged() || run.sse < best.sse || best.sse.is_nan());
            if better {
                best = run;
            }
        }
    }
    best
}

/// Whether some parameter has (relatively) lost its influence at `p`: the norm of its
/// Jacobian column times its magnitude is below 1e-10 of the largest such norm, or not finite.
fn degenerate(model: &dyn ResidualModel, p: &[f64]) -> bool {
    let mut j = DMatrix::zeros(model.n_residuals(), model.n_params());
    model.jacobian(p, &mut j);
    let influence: Vec<f64> = p
        .iter()
        .enumerate()
        .map(|(k, pk)| j.column(k).norm() * if *pk != 0.0 { pk.abs() } else { 1.0 })
        .collect();
    let max = influence.iter().copied().fold(0.0, f64::max);
    influence
        .iter()
        .any(|v| !v.is_finite() || *v <= 1e-10 * max)
}
