//! Fitted laws in and out of a fit-only link: the parameters and covariance travel; the
//! standard errors, intervals and bands are recomputed from them exactly as a fit does.

use super::wire::{FitOnly, SharedFit, View};
use crate::fit::{Metrics, Space};
use crate::{Fit, Termination};
use nalgebra::DMatrix;

/// How an opened fit-only link of format 1 or 2 (which did not carry the optimiser's
/// status) reports its fits' termination.
const FROM_LINK: &str = "fitted elsewhere, opened from a fit-only link";

/// The start of the warning every fit opened from a fit-only link carries; it is not
/// written into a new link (it is added again on opening).
const WITHOUT_DATA: &str = "shared without its data";

/// A fit-only link for `fits` (group name, fit), with `x_name` naming the input.
pub fn fit_only<'a>(
    x_name: &str,
    fits: impl IntoIterator<Item = (Option<&'a str>, &'a Fit)>,
    view: View,
) -> FitOnly {
    let fits = fits
        .into_iter()
        .map(|(group, f)| {
            let k = f.form.n_params();
            let covariance = f
                .covariance
                .as_ref()
                .filter(|c| c.nrows() == k && c.ncols() == k)
                .map(|c| {
                    (0..k)
                        .flat_map(|i| (i..k).map(move |j| c[(i, j)]))
                        .collect()
                });
            SharedFit {
                group: group.map(str::to_string),
                form: f.form,
                objective: f.objective,
                params: f.params.clone(),
                covariance,
                n: f.metrics.n,
                dof: f.metrics.dof,
                pinned: f.pinned.clone(),
                termination: Some(f.termination.clone()),
                warnings: f
                    .warnings
                    .iter()
                    .filter(|w| !w.starts_with(WITHOUT_DATA))
                    .cloned()
                    .collect(),
            }
        })
        .collect();
    FitOnly {
        x_name: x_name.to_string(),
        fits,
        view,
    }
}

/// The laws of a fit-only link as [`Fit`]s: parameters, covariance, standard errors and
/// 95 % intervals as the original fit had them. Goodness-of-fit numbers need the data and
/// are NaN; each fit carries a warning saying so.
pub fn shared_fits(link: &FitOnly) -> Vec<(Option<String>, Fit)> {
    link.fits
        .iter()
        .map(|s| (s.group.clone(), fit(s)))
        .collect()
}

fn fit(s: &SharedFit) -> Fit {
    let k = s.params.len();
    let covariance = s.covariance.as_ref().and_then(|upper| {
        let mut c = DMatrix::zeros(k, k);
        let mut values = upper.iter();
        for i in 0..k {
            for j in i..k {
                let v = *values.next()?;
                c[(i, j)] = v;
                c[(j, i)] = v;
            }
        }
        Some(c)
    });
    let stderr: Vec<f64> = (0..k)
        .map(|i| match &covariance {
            Some(c) if c[(i, i)] >= 0.0 => c[(i, i)].sqrt(),
            _ => f64::NAN,
        })
        .collect();
    let ci95 = crate::fit::intervals(s.form, &s.params, &stderr, s.dof);
    let nan = f64::NAN;
    Fit {
        form: s.form,
        objective: s.objective,
        params: s.params.clone(),
        pinned: if s.pinned.len() == k {
            s.pinned.clone()
        } else {
            vec![false; k]
        },
        stderr,
        ci95,
        covariance,
        // A link does not carry the method; the objective's own is the best guess.
        se_method: crate::SeMethod::default_for(s.objective),
        start: None,
        metrics: Metrics {
            n: s.n,
            dof: s.dof,
            objective: nan,
            sse: nan,
            rmse: nan,
            ser: nan,
            r2: nan,
            r2_space: if s.objective.is_log() {
                Space::Log
            } else {
                Space::Linear
            },
            r2_raw: nan,
            aic: nan,
            bic: nan,
        },
        termination: s.termination.clone().unwrap_or(Termination::Converged {
            test: FROM_LINK,
            iterations: 0,
        }),
        warnings: warnings(s),
    }
}

/// The sharer's warnings, then what opening without the data means; a link of a format
/// that did not carry the optimiser's status says so.
fn warnings(s: &SharedFit) -> Vec<String> {
    let mut out = s.warnings.clone();
    if s.termination.is_none() {
        out.push(
            "this link's format does not say whether the fit converged: check with the sharer"
                .to_string(),
        );
    } else if let Some(t) = s.termination.as_ref().filter(|t| !t.converged()) {
        let note = format!("the optimiser did not converge: {t}");
        if !out.contains(&note) {
            out.push(note);
        }
    }
    out.push(format!(
        "{WITHOUT_DATA} ({} points): parameters, intervals and bands are the sharer's; goodness of fit is not available",
        s.n
    ));
    out
}
