//! The rolling backtest as a small chart (issue 13): for each group, the error of
//! predicting the next scale from the smaller ones, against the largest scale fitted — how
//! the law's extrapolation improves with the data used (Porian et al. 2024, Choshen et al.
//! 2024). Shown while the backtest switch is on.

use crate::components::mini_plot::MiniPlot;
use crate::plot::spec::{small, Line};
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::backtest::Outcome;
use scalescope_core::format::sig;

/// The chart and a line on how to read it.
#[component]
pub fn RollingBacktest() -> impl IntoView {
    let state = expect_context::<AppState>();
    let spec = Signal::derive(move || {
        let b = state.rolling.get()?;
        let lines = b
            .groups
            .iter()
            .filter_map(|g| {
                let Ok(Outcome::Rolling(steps)) = &g.outcome else {
                    return None;
                };
                let errors: Vec<(f64, f64)> = steps
                    .iter()
                    .filter_map(|s| {
                        let f = s.forecast.as_ref().ok()?;
                        Some((s.largest_used, 100.0 * f.mean_abs_rel_error))
                    })
                    .collect();
                Some(Line {
                    name: g.group.clone().unwrap_or_else(|| "all rows".into()),
                    points: errors.clone(),
                    curve: errors,
                })
            })
            .collect();
        let two = b.form.two_inputs();
        let x = if two {
            "largest compute 6ND fitted (FLOP)".to_string()
        } else {
            format!(
                "largest {} fitted",
                state.axis_names.with(|(x, _)| x.clone())
            )
        };
        small(&x, "error predicting the next scale (%)", !two, lines)
    });
    // The errors in words, per group: what the chart shows, for everyone.
    let summary = move || {
        spec.with(|s| {
            s.as_ref().map(|s| {
                s.series
                    .iter()
                    .map(|l| {
                        let errors: Vec<String> = l
                            .points
                            .iter()
                            .map(|p| format!("{} %", sig(p.y, 2)))
                            .collect();
                        format!("{}: {}", l.name, errors.join(" → "))
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            })
        })
    };
    view! {
        <Show when=move || spec.with(Option::is_some)>
            <h3 class="mini-title">"Rolling backtest"</h3>
            <p class="note">"Each scale predicted from the smaller ones: the mean absolute error of the prediction, against the largest scale the law was fitted on. "{summary}</p>
        </Show>
        <MiniPlot spec testid="rolling-plot" label="Rolling backtest: prediction error of the next scale against the largest scale fitted, per group" />
    }
}
