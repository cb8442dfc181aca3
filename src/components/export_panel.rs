//! Export: the plot as PNG (1× and 2×) and SVG, drawn by the same `plot::draw::draw` as the
//! canvas, in the current theme or light; the data and fitted curves as CSV; the fit as
//! JSON in the CLI's shape; the laws as LaTeX and as a Python (numpy) snippet. The texts
//! come from `scalescope_core::export`.

use crate::plot::backend::Backend;
use crate::plot::draw::{draw, Theme, DARK, LIGHT};
use crate::plot::spec::PlotSpec;
use crate::share::browser::{copy, download_text, download_url};
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use plotters_canvas::CanvasBackend;
use scalescope_core::export::{curves_csv, fit_json, latex_all, python, Questions};
use wasm_bindgen::JsCast;

/// Exported plot size in CSS pixels (PNG 2× doubles it).
const WIDTH: u32 = 960;
const HEIGHT: u32 = 600;

/// What an export button does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Png(u32),
    Svg,
    Csv,
    Json,
    Latex,
    Python,
}

/// The plot buttons and the fit buttons: action, test id, label (one view per row keeps
/// the page's wasm small).
const PLOT: [(Action, &str, &str); 3] = [
    (Action::Png(1), "export-png", "PNG"),
    (Action::Png(2), "export-png-2x", "PNG 2×"),
    (Action::Svg, "export-svg", "SVG"),
];
const FIT: [(Action, &str, &str); 4] = [
    (Action::Csv, "export-csv", "curves + data (CSV)"),
    (Action::Json, "export-json", "JSON"),
    (Action::Latex, "copy-latex", "copy LaTeX"),
    (Action::Python, "copy-python", "copy Python"),
];

/// The export buttons and the snippet shown after a copy.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let light = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let snippet = RwSignal::new(None::<String>);
    let run = move |action: Action| {
        let theme = if state.dark.get_untracked() && !light.get_untracked() {
            &DARK
        } else {
            &LIGHT
        };
        let analysis = state.analysis.get_untracked();
        let done = match action {
            Action::Png(scale) => state
                .plot_spec
                .get_untracked()
                .and_then(|s| png_data_url(&s, theme, scale))
                .is_some_and(|url| download_url(&format!("scalescope-plot@{scale}x.png"), &url)),
            Action::Svg => state
                .plot_spec
                .get_untracked()
                .and_then(|s| svg_text(&s, theme))
                .is_some_and(|t| download_text("scalescope-plot.svg", "image/svg+xml", &t)),
            Action::Csv => analysis
                .is_some_and(|a| download_text("scalescope-fit.csv", "text/csv", &curves_csv(&a))),
            Action::Json => {
                let questions = Questions {
                    target: state.target_loss.get_untracked().map(|l| (l, None)),
                    compute: state.compute_budget.get_untracked(),
                };
                // A fit-only link has no table: no skipped rows or reader warnings.
                let table = state
                    .shared_fits
                    .get_untracked()
                    .is_none()
                    .then(|| state.table.get_untracked())
                    .flatten();
                analysis.is_some_and(|a| {
                    let json = fit_json(table.as_deref(), &a, questions);
                    download_text("scalescope-fit.json", "application/json", &json)
                })
            }
            Action::Latex | Action::Python => {
                let text = analysis.map(|a| match action {
                    Action::Latex => latex_all(&a, &state.input_name()),
                    _ => python(&a),
                });
                if let Some(text) = text.clone() {
                    snippet.set(Some(text.clone()));
                    spawn_local(async move {
                        let copied = copy(&text).await;
                        message.set(Some(if copied {
                            "Copied to the clipboard.".into()
                        } else {
                            "Select the text below and copy it.".into()
                        }));
                    });
                }
                text.is_some()
            }
        };
        message.set((!done).then(|| {
            "Nothing to export yet (no fit), or the browser refused the download.".to_string()
        }));
    };
    let buttons = move |row: &'static [(Action, &'static str, &'static str)]| {
        row.iter()
            .map(|&(action, testid, label)| {
                view! { <button data-testid=testid on:click=move |_| run(action)>{label}</button> }
            })
            .collect_view()
    };
    view! {
        <section class="export-panel" aria-labelledby="export-title">
            <h2 id="export-title">"Export"</h2>
            <div class="export-row">
                <span class="export-label">"Plot"</span>
                {buttons(&PLOT)}
                <label>
                    <input type="checkbox" data-testid="export-light" prop:checked=move || light.get() on:change=move |_| light.update(|l| *l = !*l) />
                    " light theme"
                </label>
            </div>
            <div class="export-row">
                <span class="export-label">"Fit"</span>
                {buttons(&FIT)}
            </div>
            <p class="note" data-testid="export-message">{move || message.get()}</p>
            <textarea class="snippet" data-testid="export-snippet" readonly=true rows="6" hidden=move || snippet.get().is_none() prop:value=move || snippet.get().unwrap_or_default()></textarea>
        </section>
    }
}

/// The plot drawn on an off-screen canvas `scale` times the export size, as a PNG data URL.
fn png_data_url(spec: &PlotSpec, theme: &Theme, scale: u32) -> Option<String> {
    let canvas = document()
        .create_element("canvas")
        .ok()?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .ok()?;
    canvas.set_width(WIDTH * scale);
    canvas.set_height(HEIGHT * scale);
    let backend = Backend::Canvas(CanvasBackend::with_canvas_object(canvas.clone())?);
    draw(&backend.into_drawing_area(), spec, theme, f64::from(scale)).ok()?;
    canvas.to_data_url_with_type("image/png").ok()
}

/// The plot as SVG text, drawn by the same code as the canvas.
fn svg_text(spec: &PlotSpec, theme: &Theme) -> Option<String> {
    let mut out = String::new();
    {
        let root =
            Backend::Svg(SVGBackend::with_string(&mut out, (WIDTH, HEIGHT))).into_drawing_area();
        draw(&root, spec, theme, 1.0).ok()?;
    }
    (!out.is_empty()).then_some(out)
}
