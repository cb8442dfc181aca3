//! The rolling backtest as a small chart (issue 13): for each group, the error of
//! predicting the next scale from the smaller ones, against the largest scale fitted — how
//! the law's extrapolation improves with the data used (Porian et al. 2024, Choshen et al.
//! 2024). Shown while the backtest switch is on, drawn by the main chart's [`draw`]. Its
//! points, `x y` pairs per group (`;` between points, `|` between groups, full precision),
//! are in the canvas's `data-points`, for tests and assistive tooling.

use crate::components::plot_panel::paint;
use crate::plot::draw::{draw, DARK, LIGHT};
use crate::plot::spec::{small, Line, PlotSpec};
use crate::state::AppState;
use leptos::html::Canvas;
use leptos::prelude::*;
use scalescope_core::backtest::Outcome;

/// The chart and a line on how to read it.
#[component]
pub fn RollingBacktest() -> impl IntoView {
    let state = expect_context::<AppState>();
    let spec = Memo::new(move |_| {
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
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let theme = if state.dark.get() { &DARK } else { &LIGHT };
        let (Some(spec), Some(el)) = (spec.get(), canvas.get()) else {
            return;
        };
        paint(&el, 0.45, &mut |root, dpr| {
            draw(root, &spec, theme, dpr).map(|_| ())
        });
        let _ = el.set_attribute("data-points", &points(&spec));
    });
    view! {
        <Show when=move || spec.with(Option::is_some)>
            <p class="note">"Rolling backtest: each scale predicted from the smaller ones; the mean absolute error of the prediction, against the largest scale the law was fitted on."</p>
            <canvas node_ref=canvas class="plot mini" data-testid="rolling-plot" role="img" aria-label="Rolling backtest: prediction error of the next scale against the largest scale fitted, per group"></canvas>
        </Show>
    }
}

/// `x y;x y|x y` over the groups' points.
fn points(spec: &PlotSpec) -> String {
    spec.series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .map(|p| format!("{} {}", p.x, p.y))
                .collect::<Vec<_>>()
                .join(";")
        })
        .collect::<Vec<_>>()
        .join("|")
}
