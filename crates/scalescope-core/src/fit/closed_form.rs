//! Closed-form (weighted) ordinary least squares for the forms that are linear after a
//! log transform: power (`ln y` on `ln x`), exponential (`ln y` on `x`), log (`y` on `ln x`).

use super::residuals::FormModel;
use crate::{Form, Objective};

/// Weighted straight-line fit `t ≈ c0 + c1·z`, computed from centred sums.
/// `None` when `z` is constant among positive-weight points or values are not finite.
pub(crate) fn line_fit(z: &[f64], t: &[f64], w: &dyn Fn(usize) -> f64) -> Option<(f64, f64)> {
    let sw: f64 = (0..z.len()).map(w).sum();
    if sw.is_nan() || sw <= 0.0 {
        return None;
    }
    let zm = (0..z.len()).map(|i| w(i) * z[i]).sum::<f64>() / sw;
    let tm = (0..z.len()).map(|i| w(i) * t[i]).sum::<f64>() / sw;
    let (mut szz, mut szt) = (0.0, 0.0);
    for i in 0..z.len() {
        let dz = z[i] - zm;
        szz += w(i) * dz * dz;
        szt += w(i) * dz * (t[i] - tm);
    }
    if szz.is_nan() || szz <= 0.0 || !szz.is_finite() || !szt.is_finite() {
        return None;
    }
    let c1 = szt / szz;
    Some((tm - c1 * zm, c1))
}

/// Whether (`form`, `objective`) has a closed-form optimum here.
pub(crate) fn applies(form: Form, objective: Objective) -> bool {
    matches!(
        (form, objective),
        (Form::Power, Objective::LsLog)
            | (Form::Exponential, Objective::LsLog)
            | (Form::Log, Objective::Ls)
    )
}

/// The linearised OLS fit of `form` (power, exponential or log), ignoring the objective.
/// Used as the exact answer when [`applies`], and as a start otherwise. Needs positive `y`
/// for power and exponential (if all `y` are negative, fits `−y` and negates `a`).
pub(crate) fn linearised(model: &FormModel) -> Option<Vec<f64>> {
    let (form, points) = (model.form, model.points);
    let w = |i: usize| points.weight(i);
    let sign = if points.y.iter().all(|v| *v > 0.0) {
        1.0
    } else if points.y.iter().all(|v| *v < 0.0) {
        -1.0
    } else {
        0.0
    };
    // ln|y| from the model when it already holds ln y.
    let ln_abs_y = || -> Vec<f64> {
        if sign > 0.0 && model.ln_y.len() == points.len() {
            model.ln_y.clone()
        } else {
            points.y.iter().map(|v| (sign * v).ln()).collect()
        }
    };
    let (z, t): (&[f64], Vec<f64>) = match form {
        Form::Power if sign != 0.0 => (model.ln_x(), ln_abs_y()),
        Form::Exponential if sign != 0.0 => (&points.x, ln_abs_y()),
        Form::Log => (model.ln_x(), points.y.clone()),
        _ => return None,
    };
    let (c0, c1) = line_fit(z, &t, &w)?;
    let p = match form {
        Form::Log => vec![c0, c1],
        _ => vec![sign * c0.exp(), c1],
    };
    p.iter().all(|v| v.is_finite()).then_some(p)
}
