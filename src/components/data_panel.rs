//! Data in: the example menu, the paste area and the inline problems.

use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::examples::ExampleId;

/// The example menu, the CSV textarea and what could not be read.
#[component]
pub fn DataPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_example = move |ev| {
        if let Some(id) = ExampleId::from_key(&event_target_value(&ev)) {
            state.load_example(id);
        }
    };
    let description = move || state.example.get().map(|id| id.generate().description);
    let on_input = move |ev| {
        state.example.set(None);
        state.csv.set(event_target_value(&ev));
    };
    view! {
        <h2>"Data"</h2>
        <label class="field">
            "Load example "
            <select data-testid="example-select" on:change=on_example>
                {ExampleId::ALL.into_iter().map(|id| view! {
                    <option value=id.key() selected=move || state.example.get() == Some(id)>{id.generate().title}</option>
                }).collect_view()}
            </select>
        </label>
        <p class="note">{description}</p>
        <label class="field block" for="csv-input">"Paste a table (CSV, TSV, spreadsheet cells)"</label>
        <textarea
            id="csv-input"
            data-testid="csv-input"
            spellcheck="false"
            rows="16"
            prop:value=move || state.csv.get()
            on:input=on_input
        ></textarea>
        <Problems />
    }
}

/// The parse error (the previous fit stays on screen) or the skipped rows.
#[component]
fn Problems() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lines = move || {
        let parsed = state.parsed.get();
        match &*parsed {
            Err(e) => vec![e.to_string()],
            Ok(t) => t.skipped().iter().map(ToString::to_string).collect(),
        }
    };
    view! {
        <div data-testid="error" class="problems" role="status" aria-live="polite">
            {move || lines().into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
        </div>
    }
}
