//! The fitted parameters per group, with uncertainty and goodness of fit.

use crate::components::bootstrap::{interval, BootState};
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::backtest::{Backtest, Outcome};
use scalescope_core::format::{law, sig};
use scalescope_core::{Fit, SeMethod};

/// One row per group: formula, parameters ± SE with 95 % intervals, R², RMSE, AIC/BIC.
#[component]
pub fn FitTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let boot = expect_context::<BootState>();
    let rows = move || {
        let Some(analysis) = state.analysis.get() else {
            return vec![];
        };
        let x_name = state.input_name();
        analysis
            .groups
            .iter()
            .enumerate()
            .map(|(gi, g)| {
                let name = g.name.clone().unwrap_or_default();
                match &g.fit {
                    Ok(fit) => {
                        let bt = state.backtest.get().map(|b| backtest_summary(&b, gi));
                        fit_row(name, fit, &x_name, (boot, gi), bt).into_any()
                    }
                    Err(e) => view! {
                        <tr data-group=name.clone()><th scope="row">{group_label(&name)}</th><td colspan="4" class="bad">{e.to_string()}</td></tr>
                    }
                    .into_any(),
                }
            })
            .collect::<Vec<_>>()
    };
    view! {
        <table data-testid="fit-table" class="fit-table">
            <thead>
                <tr><th scope="col">"group"</th><th scope="col">"parameters (± SE, 95 % CI)"</th><th scope="col">"R²"</th><th scope="col">"RMSE"</th><th scope="col">"AIC / BIC"</th></tr>
            </thead>
            <tbody>{move || rows()}</tbody>
        </table>
    }
}

/// `boot`: the bootstrap and this group's index in it.
/// `backtest`: the group's backtest summary, while the backtest is on.
fn fit_row(
    name: String,
    fit: &Fit,
    x_name: &str,
    boot: (BootState, usize),
    backtest: Option<AnyView>,
) -> impl IntoView {
    let params = fit
        .form
        .param_names()
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let v = fit.params.get(i).copied().unwrap_or(f64::NAN);
            let se = fit.stderr.get(i).copied().unwrap_or(f64::NAN);
            let (lo, hi) = fit.ci95.get(i).copied().unwrap_or((f64::NAN, f64::NAN));
            let uncertainty = if fit.pinned.get(i).copied().unwrap_or(false) {
                " (pinned)".to_string()
            } else {
                format!(" ± {} [{}, {}]", sig(se, 2), sig(lo, 3), sig(hi, 3))
            };
            view! {
                <span class="param" data-param=*p data-value=v.to_string()>
                    <b>{*p}</b>" = "{sig(v, 4)}<small>{uncertainty}</small>{interval(boot.0, boot.1, i)}
                </span>
            }
        })
        .collect_view();
    let m = &fit.metrics;
    let status = if fit.converged() {
        String::new()
    } else {
        format!(" — {}", fit.termination)
    };
    let label = group_label(&name);
    let formula = law(fit.form, &fit.params, x_name);
    // Which start of the multi-start won (a typed law's starts are the user's to tune).
    let start = fit.start.as_ref().map(|s| {
        let values = fit
            .form
            .param_names()
            .iter()
            .zip(s)
            .map(|(n, v)| format!("{n} = {}", sig(*v, 3)))
            .collect::<Vec<_>>()
            .join(", ");
        view! { <div class="start" data-testid="winning-start">"started from "{values}</div> }
    });
    // Which covariance the ± and the intervals come from (the JSON's `se_method`).
    let method = match fit.se_method() {
        SeMethod::Ols => "least-squares covariance",
        SeMethod::Sandwich => "sandwich (M-estimator) covariance",
        SeMethod::SandwichSmoothed { .. } => "sandwich covariance, smoothed curvature",
    };
    let warnings = fit
        .warnings
        .iter()
        .map(|w| view! { <li>{w.clone()}</li> })
        .collect_view();
    let r2_title = format!(
        "R² in {} space; raw-space R² = {}",
        m.r2_space,
        sig(m.r2_raw, 4)
    );
    view! {
        <tr data-group=name>
            <th scope="row">{label}<small class="bad">{status}</small></th>
            <td class="params">
                <div class="formula" data-testid="formula">{formula}</div>
                {params}
                {start}
                <div class="start" data-testid="se-method" data-value=fit.se_method().name()>"intervals: "{method}</div>
                {backtest}
                <ul class="warnings">{warnings}</ul>
            </td>
            <td data-testid="metric-r2" data-value=m.r2.to_string() title=r2_title>{sig(m.r2, 4)}<small>" ("{m.r2_space.to_string()}")"</small></td>
            <td data-testid="metric-rmse" data-value=m.rmse.to_string()>{sig(m.rmse, 3)}</td>
            <td>{sig(m.aic, 4)}" / "{sig(m.bic, 4)}</td>
        </tr>
    }
}

/// Group `gi`'s backtest in a line: the held-out points' mean absolute relative error and
/// how many lie inside their 95 % prediction interval, or why there is no backtest.
fn backtest_summary(b: &Backtest, gi: usize) -> AnyView {
    match b.groups.get(gi).map(|g| &g.outcome) {
        Some(Ok(Outcome::HoldOut(f))) => {
            let with_pi = f.heldout.iter().filter(|p| p.inside.is_some()).count();
            let inside = f.heldout.iter().filter(|p| p.inside == Some(true)).count();
            let text = format!(
                "backtest ({} held out, fitted on {}): {} % mean abs. error, {inside}/{with_pi} inside the 95 % PI",
                f.heldout.len(),
                f.fitted,
                sig(100.0 * f.mean_abs_rel_error, 3)
            );
            view! {
                <div class="start" data-testid="backtest-summary" data-error=f.mean_abs_rel_error.to_string() data-coverage=f.coverage.to_string() data-held=f.heldout.len().to_string()>{text}</div>
            }
            .into_any()
        }
        Some(Ok(Outcome::Rolling(_))) | None => ().into_any(),
        Some(Err(e)) => view! {
            <div class="start bad" data-testid="backtest-summary">{format!("no backtest: {e}")}</div>
        }
        .into_any(),
    }
}

/// The row header of a group: its name, or "all rows" for ungrouped data.
fn group_label(name: &str) -> String {
    if name.is_empty() {
        "all rows".to_string()
    } else {
        name.to_string()
    }
}
