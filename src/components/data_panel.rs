//! Data in: the example menu, the paste area (with drop zone and file picker), the
//! inline problems and the preview with a role per column.

use super::preview::Preview;
use crate::state::{AppState, LONG_TEXT};
use leptos::prelude::*;
use leptos::task::spawn_local;
use scalescope_core::examples::ExampleId;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// Typing pauses this long before the text is re-read and refitted.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// Skipped rows listed one by one (a sweep with 10⁵ bad rows would otherwise be 10⁵
/// paragraphs); the rest are counted.
const LISTED: usize = 50;
/// Lines of a long text shown in the text area.
const HEAD_LINES: usize = 40;

/// What the text area shows of a long text: its first lines and a count of the rest.
fn head(text: &str) -> String {
    let lines = text.bytes().filter(|&b| b == b'\n').count() + usize::from(!text.ends_with('\n'));
    let shown = text
        .split_inclusive('\n')
        .take(HEAD_LINES)
        .collect::<String>();
    format!(
        "{}… {lines} lines ({:.1} MB), all loaded and fitted; the rest is not shown here to keep the page fast.",
        shown,
        text.len() as f64 / 1e6
    )
}

/// The example menu, the CSV textarea and what could not be read.
#[component]
pub fn DataPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let on_example = move |ev| {
        if let Some(id) = ExampleId::from_key(&event_target_value(&ev)) {
            state.load_example(id);
        }
    };
    let description = move || state.example.get().map(|id| id.description());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let edit_whole = RwSignal::new(false);
    // A long text (`LONG_TEXT`) is shown as its first `HEAD_LINES` lines, read-only, unless
    // the user asks to edit the whole text.
    let long = Memo::new(move |_| state.long_text.get().then(|| state.csv.with(|t| head(t))));
    let abridged = move || long.with(Option::is_some) && !edit_whole.get();
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        if text.len() > LONG_TEXT && !edit_whole.get_untracked() {
            // Take the long text out before the browser lays it out (its start is put
            // back by the text area's value).
            if let Some(area) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            {
                area.set_value("");
            }
            pending.set_value(None);
            state.set_text(text);
        } else if is_typing(&ev) {
            let handle = set_timeout_with_handle(move || state.set_text(text), DEBOUNCE).ok();
            pending.set_value(handle);
        } else {
            // A paste, a drop or a script: apply at once.
            pending.set_value(None);
            state.set_text(text);
        }
    };
    // A long paste never enters the text area (nor does any paste while it shows the
    // start of a long text: the paste replaces the whole text).
    let on_paste = move |ev: leptos::ev::ClipboardEvent| {
        let Some(text) = ev.clipboard_data().and_then(|d| d.get_data("text").ok()) else {
            return;
        };
        if text.len() > LONG_TEXT || abridged() {
            ev.prevent_default();
            edit_whole.set(false);
            state.set_text(text);
        }
    };
    let dragging = RwSignal::new(false);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        dragging.set(false);
        let file = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0));
        if let Some(file) = file {
            read_file(state, file);
        }
    };
    let on_pick = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) = input.and_then(|i| i.files()).and_then(|f| f.get(0)) {
            read_file(state, file);
        }
    };
    view! {
        <div
            class="drop-zone"
            class:dragging=move || dragging.get()
            on:dragover=move |ev: leptos::ev::DragEvent| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=on_drop
        >
            <h2>"Data"</h2>
            <label class="field">
                "Load example "
                <select data-testid="example-select" on:change=on_example>
                    <option value="" disabled=true selected=move || state.example.get().is_none()>"your data"</option>
                    {ExampleId::ALL
                        .into_iter()
                        .map(|id| {
                            view! {
                                <option value=id.key() selected=move || state.example.get() == Some(id)>
                                    {id.title()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </label>
            <p class="note">{move || description()}</p>
            <label class="field block" for="csv-input">
                "Paste a table (CSV, TSV, spreadsheet cells), drop a file here, or "
            </label>
            <label class="file-button">
                "open a file…"
                <input type="file" accept=".csv,.tsv,.txt,text/csv,text/plain" data-testid="file-input" on:change=on_pick />
            </label>
            <textarea
                id="csv-input"
                data-testid="csv-input"
                spellcheck="false"
                rows="12"
                prop:value=move || match long.get() {
                    Some(head) if !edit_whole.get() => head,
                    _ => state.csv.get(),
                }
                readonly=abridged
                on:input=on_input
                on:paste=on_paste
            ></textarea>
            {move || abridged().then(|| view! {
                <p class="note" data-testid="long-text">
                    {format!("The text area shows the first {HEAD_LINES} lines of a long text. Paste or drop to replace it, or ")}
                    <button on:click=move |_| edit_whole.set(true)>"edit the whole text"</button>
                    " (slow: the browser lays out every line)."
                </p>
            }.into_any())}
            <p class="drop-hint" aria-hidden="true">"Drop a CSV file to load it"</p>
            <Problems />
            <Preview />
        </div>
    }
}

/// Whether an input event is keystroke typing (debounced) rather than a paste or drop.
fn is_typing(ev: &leptos::ev::Event) -> bool {
    ev.dyn_ref::<web_sys::InputEvent>()
        .map(|ie| {
            let kind = ie.input_type();
            kind.starts_with("insertText")
                || kind.starts_with("delete")
                || kind == "insertLineBreak"
        })
        .unwrap_or(false)
}

/// Reads a dropped or picked file's text into the state (in the background).
fn read_file(state: AppState, file: web_sys::File) {
    spawn_local(async move {
        let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
        match text.ok().and_then(|v| v.as_string()) {
            Some(t) => state.set_text(t),
            None => state
                .file_error
                .set(Some(format!("could not read {} as text", file.name()))),
        }
    });
}

/// The parse error (the previous fit stays on screen) or the skipped rows and warnings.
#[component]
fn Problems() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lines = move || {
        let mut out: Vec<(bool, String)> = state
            .file_error
            .get()
            .map(|e| (true, e))
            .into_iter()
            .collect();
        out.extend(state.link_error.get().map(|e| (true, e)));
        match state.parsed.get() {
            None => {}
            // A fit-only link has no table on purpose (its text says so).
            Some(Err(_)) if state.shared_fits.get().is_some() => {}
            Some(Err(e)) => out.push((
                true,
                format!("{e} — the previous fit stays on screen until the table reads"),
            )),
            Some(Ok(t)) => {
                let skipped = t.skipped();
                out.extend(skipped.iter().take(LISTED).map(|s| (true, s.to_string())));
                if skipped.len() > LISTED {
                    out.push((
                        true,
                        format!("… and {} more skipped rows", skipped.len() - LISTED),
                    ));
                }
                out.extend(t.warnings().iter().map(|w| (false, w.to_string())));
            }
        }
        out
    };
    view! {
        <div data-testid="error" class="problems" role="status" aria-live="polite">
            {move || {
                lines()
                    .into_iter()
                    .map(|(bad, l)| view! { <p class:bad=bad class:warn=!bad>{l}</p> })
                    .collect_view()
            }}
        </div>
    }
}
