//! The effective compute multiplier between two groups (issue 14 §3): pick a baseline and
//! another group; at a loss (the calculator's target, else the middle of the losses both
//! observed) the page says how much compute the other needs against the baseline, with a
//! 95 % interval, and draws the multiplier over the loss range both observed.

use crate::components::mini_plot::MiniPlot;
use crate::plot::spec::{small, Line};
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::compare::{curve, loss_range, multiplier, CompareError, Multiplier};
use scalescope_core::format::sig;
use scalescope_core::presets::Model;

/// Losses on the curve.
const CURVE_POINTS: usize = 25;

/// The multiplier at the chosen loss and over the range both groups observed.
#[derive(Clone, PartialEq)]
struct Shown {
    baseline: String,
    other: String,
    at: Result<Multiplier, CompareError>,
    curve: Vec<Multiplier>,
}

/// The two group pickers, the multiplier in words and its curve; shown with two or more
/// fitted groups.
#[component]
pub fn CompareGroups() -> impl IntoView {
    let state = expect_context::<AppState>();
    let names = Memo::new(move |_| {
        state.analysis.with(|a| {
            a.as_ref().map_or_else(Vec::new, |a| {
                a.groups
                    .iter()
                    .filter(|g| g.fit.is_ok())
                    .filter_map(|g| g.name.clone())
                    .collect::<Vec<_>>()
            })
        })
    });
    let shown = Memo::new(move |_| {
        let (baseline, other) = state.compare.get()?;
        let analysis = state.analysis.get()?;
        let find = |name: &str| {
            let g = analysis
                .groups
                .iter()
                .find(|g| g.name.as_deref() == Some(name))?;
            Some((g.fit.as_ref().ok()?, g.fitted_points().y))
        };
        let ((fb, yb), (fo, yo)) = (find(&baseline)?, find(&other)?);
        let (mb, mo) = (Model::fitted(fb), Model::fitted(fo));
        let loss = state
            .target_loss
            .get()
            .or_else(|| loss_range(&yb, &yo, 1).first().copied())?;
        let losses = loss_range(&yb, &yo, CURVE_POINTS);
        Some(Shown {
            at: multiplier(&mb, &mo, loss),
            curve: curve(&mb, &mo, &losses).into_iter().flatten().collect(),
            baseline,
            other,
        })
    });
    let spec = Signal::derive(move || {
        let s = shown.get()?;
        let line: Vec<(f64, f64)> = s.curve.iter().map(|m| (m.at_loss, m.multiplier)).collect();
        let at = s.at.as_ref().ok().map(|m| vec![(m.at_loss, m.multiplier)]);
        small(
            "loss",
            &format!("compute of {} / compute of {}", s.other, s.baseline),
            false,
            vec![Line {
                name: format!("{} against {}", s.other, s.baseline),
                points: at.unwrap_or_default(),
                curve: line,
            }],
        )
    });
    // The selects' choices; the comparison runs once both name different groups. A link's
    // comparison fills them.
    let (baseline, other) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    Effect::new(move |_| {
        if let Some((b, o)) = state.compare.get() {
            baseline.set(b);
            other.set(o);
        }
    });
    let pick = move |which: RwSignal<String>, value: String| {
        which.set(value);
        let (b, o) = (baseline.get_untracked(), other.get_untracked());
        let both = !b.is_empty() && !o.is_empty() && b != o;
        state.compare.set(both.then_some((b, o)));
    };
    let options = move |which: RwSignal<String>| {
        view! {
            <option value="" selected=move || which.get().is_empty()>"—"</option>
            {move || {
                names
                    .get()
                    .into_iter()
                    .map(|n| {
                        let (value, selected) = (n.clone(), n.clone());
                        view! { <option value=value selected=move || which.get() == selected>{n}</option> }
                    })
                    .collect_view()
            }}
        }
    };
    let answer = move || {
        let s = shown.get()?;
        Some(match s.at {
            Ok(m) => {
                let ci = (m.ci95.0.is_finite() && m.ci95.1.is_finite())
                    .then(|| format!(" (95 %: {} – {})", sig(m.ci95.0, 3), sig(m.ci95.1, 3)));
                let text = format!(
                    "At loss {}, {} needs {}× the compute of {}",
                    sig(m.at_loss, 4),
                    s.other,
                    sig(m.multiplier, 4),
                    s.baseline
                );
                view! {
                    <p class="calc-results" data-testid="multiplier" data-value=m.multiplier.to_string() data-loss=m.at_loss.to_string() data-lo=m.ci95.0.to_string() data-hi=m.ci95.1.to_string()>{text}{ci}"."</p>
                }
                .into_any()
            }
            Err(e) => {
                view! { <p class="bad" data-testid="multiplier">{e.to_string()}</p> }.into_any()
            }
        })
    };
    view! {
        <Show when=move || names.with(|n| n.len() >= 2)>
            <h3 class="mini-title">"Compute multiplier between two groups"</h3>
            <div class="calc-row">
                <label class="field inline">"baseline "
                    <select data-testid="compare-baseline" on:change=move |ev| pick(baseline, event_target_value(&ev))>{options(baseline)}</select>
                </label>
                <label class="field inline">" against "
                    <select data-testid="compare-other" on:change=move |ev| pick(other, event_target_value(&ev))>{options(other)}</select>
                </label>
            </div>
            <p class="note">"At the calculator's target loss, else the middle of the losses both groups observed; the interval takes the two fits as independent."</p>
            {answer}
        </Show>
        <MiniPlot spec testid="multiplier-plot" label="Compute multiplier of the second group against the baseline, over the losses both observed" />
    }
}
