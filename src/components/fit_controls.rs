//! Form and objective selectors.

use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::{Form, Objective};

/// The fit's form and objective.
#[component]
pub fn FitControls() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_form = move |ev| {
        if let Ok(form) = event_target_value(&ev).parse::<Form>() {
            state.form.set(form);
        }
    };
    let on_objective = move |ev| {
        let v = event_target_value(&ev);
        state.objective.set(v.parse::<Objective>().ok());
    };
    let objective_value = move || {
        state
            .objective
            .get()
            .map(|o| o.to_string())
            .unwrap_or_default()
    };
    view! {
        <div class="controls">
            <label>
                "Form "
                <select data-testid="form-select" on:change=on_form prop:value=move || state.form.get().name().to_string()>
                    {Form::ALL.into_iter().map(|f| view! {
                        <option value=f.name() selected=move || state.form.get() == f>{format!("{} — {}", f.name(), f.formula())}</option>
                    }).collect_view()}
                </select>
            </label>
            <label>
                "Objective "
                <select data-testid="objective-select" on:change=on_objective prop:value=objective_value>
                    <option value="">{move || format!("default ({})", Objective::default_for(state.form.get()))}</option>
                    {["ls", "ls-log", "huber:0.001", "huber-log:0.001"].into_iter().map(|o| view! {
                        <option value=o>{o}</option>
                    }).collect_view()}
                </select>
            </label>
        </div>
    }
}
