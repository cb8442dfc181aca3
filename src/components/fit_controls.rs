//! Form, objective (residual space, least squares or Huber with δ) and per-group fitting.

use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::{Form, Objective};

/// The fit's form, objective and grouping.
#[component]
pub fn FitControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let delta = RwSignal::new(1e-3_f64);
    let on_form = move |ev| {
        let value = event_target_value(&ev);
        if value == CUSTOM {
            state.open_custom();
        } else if let Ok(form) = value.parse::<Form>() {
            state.custom_open.set(false);
            state.form.set(form);
            state.form_chosen.set(true);
        }
    };
    let on_objective = move |ev| {
        state
            .objective
            .set(event_target_value(&ev).parse::<Objective>().ok())
    };
    let on_delta = move |ev| {
        let Some(d) = scalescope_core::float::parse_f64(event_target_value(&ev).trim()) else {
            return;
        };
        if !(d.is_finite() && d > 0.0) {
            return;
        }
        delta.set(d);
        state.objective.update(|o| {
            *o = match *o {
                Some(Objective::Huber { .. }) => Some(Objective::Huber { delta: d }),
                Some(Objective::HuberLog { .. }) => Some(Objective::HuberLog { delta: d }),
                other => other,
            }
        });
    };
    let choices = move || {
        let d = delta.get();
        [
            (Objective::Ls, "least squares, linear residuals"),
            (Objective::LsLog, "least squares, log residuals"),
            (Objective::Huber { delta: d }, "Huber, linear residuals"),
            (Objective::HuberLog { delta: d }, "Huber, log residuals"),
        ]
    };
    let is_huber = Memo::new(move |_| {
        matches!(
            state.objective.get(),
            Some(Objective::Huber { .. } | Objective::HuberLog { .. })
        )
    });
    // Whether the table read so far gives N and D: what the law menu marks.
    let two_inputs = Memo::new(move |_| {
        state
            .table
            .with(|t| t.as_ref().is_some_and(|t| t.two_inputs()))
    });
    // The K the field holds, kept while the backtest is off.
    let k = RwSignal::new(1_usize);
    let on_backtest = move |_| {
        state.backtest_k.update(|b| {
            *b = if b.is_some() {
                None
            } else {
                Some(k.get_untracked())
            }
        })
    };
    let on_k = move |ev| {
        let Ok(v) = event_target_value(&ev).trim().parse::<usize>() else {
            return;
        };
        if v == 0 {
            return;
        }
        k.set(v);
        if state.backtest_k.get_untracked().is_some() {
            state.backtest_k.set(Some(v));
        }
    };
    view! {
        <div class="controls">
            <label>
                "Form "
                <select data-testid="form-select" on:change=on_form prop:value=move || form_value(state)>
                    {Form::ALL
                        .into_iter()
                        .map(|f| {
                            // A law of N and D needs both columns: marked, and not offered.
                            let unfed = move || f.two_inputs() && !two_inputs.get();
                            let label = move || {
                                let mark = if unfed() {
                                    " (needs N and D columns)"
                                } else if !f.two_inputs() && two_inputs.get() {
                                    " (uses N only)"
                                } else {
                                    ""
                                };
                                format!("{} — {}{mark}", f.name(), f.formula())
                            };
                            view! { <option value=f.name() disabled=unfed selected=move || !state.custom_open.get() && state.form.get() == f>{label}</option> }
                        })
                        .collect_view()}
                    <option value=CUSTOM selected=move || state.custom_open.get()>"custom… — type a formula"</option>
                </select>
            </label>
            <label>
                "Objective "
                <select data-testid="objective-select" on:change=on_objective prop:value=move || objective_value(state)>
                    <option value="">{move || Some(format!("default ({})", Objective::default_for(state.form.get())))}</option>
                    {move || {
                        choices()
                            .into_iter()
                            .map(|(o, label)| {
                                let v = o.to_string();
                                view! { <option value=v.clone() selected=move || state.objective.get() == Some(o)>{format!("{label} ({v})")}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
            <Show when=move || is_huber.get()>
                <label>
                    "Huber δ "
                    <input type="number" class="short" step="any" min="0" data-testid="huber-delta" prop:value=move || delta.get().to_string() on:change=on_delta />
                </label>
            </Show>
            <label>
                <input type="checkbox" data-testid="per-group" prop:checked=move || state.per_group.get() on:change=move |_| state.per_group.update(|p| *p = !*p) />
                " fit each group separately"
            </label>
            <label>
                <input type="checkbox" data-testid="backtest-toggle" prop:checked=move || state.backtest_k.get().is_some() on:change=on_backtest />
                " backtest: hold out the "
            </label>
            <label>
                <input type="number" class="short" min="1" step="1" data-testid="backtest-k" aria-label="how many of the largest scales to hold out" prop:value=move || k.get().to_string() on:change=on_k />
                " largest scales"
            </label>
        </div>
    }
}

/// The law menu's value for a typed law.
const CUSTOM: &str = "custom";

/// The law menu's value: the law's name, or [`CUSTOM`] while the formula editor is open.
fn form_value(state: AppState) -> String {
    if state.custom_open.get() {
        CUSTOM.to_string()
    } else {
        state.form.get().name().to_string()
    }
}

/// The objective menu's value: the chosen objective's name, or "" for the form's default.
fn objective_value(state: AppState) -> String {
    state
        .objective
        .get()
        .map(|o| o.to_string())
        .unwrap_or_default()
}
