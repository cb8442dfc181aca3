//! The cost of going off-optimal (issue 14 §5): at the compute budget, a model k times the
//! compute-optimal size needs more tokens to reach the optimum's loss; the chart shows the
//! compute that takes, relative to the optimum's, over k, with the formula and a few
//! values in words.

use super::{rows, Ctx};
use crate::components::mini_plot::MiniPlot;
use crate::plot::spec::{small, Line};
use leptos::prelude::*;
use scalescope_core::format::sig;
use scalescope_core::off_optimal::{off_optimal, OffOptimalCurve, CHINCHILLA_FORMULA};
use scalescope_core::Form;

/// Model sizes against the optimum's, in words below the chart.
const NOTABLE: [f64; 4] = [0.25, 0.5, 2.0, 4.0];

/// `count` sizes k from 1/8 to 8 (evenly in log k), and the notable ones.
fn ks(count: usize) -> Vec<f64> {
    let grid = (0..count).map(|i| 8f64.powf(2.0 * i as f64 / (count - 1) as f64 - 1.0));
    grid.chain(NOTABLE).collect()
}

/// The chart and the notable sizes, for each group's fit (or the published law), while a
/// budget is set and the law takes N and D.
#[component]
pub fn OffOptimal(ctx: Ctx) -> impl IntoView {
    const GRID: usize = 49;
    let curves = Memo::new(move |_| {
        let budget = ctx.state.compute_budget.get()?;
        let out = rows(ctx, |m| {
            m.has_frontier()
                .then(|| off_optimal(&m, budget, &ks(GRID)).ok())
                .flatten()
        });
        let curves: Vec<(String, OffOptimalCurve)> = out
            .into_iter()
            .filter_map(|r| Some((r.group, r.out.ok()??)))
            .collect();
        (!curves.is_empty()).then_some(curves)
    });
    let spec = Signal::derive(move || {
        let curves = curves.get()?;
        let lines = curves
            .iter()
            .map(|(group, c)| {
                let pts: Vec<(f64, f64)> = c
                    .points
                    .iter()
                    .take(GRID)
                    .filter_map(|p| p.as_ref().ok().map(|p| (p.k, 1.0 + p.overhead)))
                    .collect();
                Line {
                    name: if group.is_empty() {
                        "law".into()
                    } else {
                        group.clone()
                    },
                    points: Vec::new(),
                    curve: pts,
                }
            })
            .collect();
        small(
            "model size k = N/N*",
            "compute / optimal compute",
            false,
            lines,
        )
    });
    let formula = move || {
        let chinchilla = match ctx.preset.get() {
            Some(id) => id.preset().law.form == Form::Chinchilla,
            None => ctx.state.form.get() == Form::Chinchilla,
        };
        if chinchilla {
            CHINCHILLA_FORMULA
        } else {
            "overhead(k) = k·k_D − 1, with k_D·D* the tokens the model k·N* needs for the optimum's loss"
        }
    };
    let notable = move || {
        curves.get().map(|curves| {
            curves
                .into_iter()
                .map(|(group, c)| {
                    let items = c
                        .points
                        .iter()
                        .skip(GRID)
                        .zip(NOTABLE)
                        .map(|(p, k)| match p {
                            Ok(p) => {
                                let text = format!("{k}×: +{} %", sig(100.0 * p.overhead, 3));
                                view! { <span class="calc-value" data-testid="off-optimal" data-group=group.clone() data-k=k.to_string() data-value=p.overhead.to_string()>{text}</span> }.into_any()
                            }
                            Err(_) => view! { <span class="note">{format!("{k}×: never reaches the loss")}</span> }.into_any(),
                        })
                        .collect_view();
                    let label = (!group.is_empty()).then(|| view! { <b class="calc-group">{group.clone()}": "</b> });
                    view! { <li>{label}{items}</li> }
                })
                .collect_view()
        })
    };
    view! {
        <Show when=move || curves.with(Option::is_some)>
            <h3 class="mini-title">"Going off-optimal"</h3>
            <p class="note" data-testid="off-optimal-formula">"A model k times the optimal size reaches the same loss with more tokens: extra compute "{formula}"."</p>
            <ul class="calc-results off-optimal">{notable}</ul>
        </Show>
        <MiniPlot spec testid="off-optimal-plot" label="Compute needed for the optimum's loss, relative to the compute-optimal model, against the model's size relative to the optimal size" />
    }
}
