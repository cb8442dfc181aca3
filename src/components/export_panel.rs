//! Export: the plot as PNG (1× and 2×) and SVG, drawn by the same `plot::draw::draw` as the
//! canvas, in the current theme or light; the data and fitted curves as CSV; the fit as
//! JSON in the CLI's shape; the laws as LaTeX and as a Python (numpy) snippet. The texts
//! come from `scalescope_core::export`.

use crate::plot::draw::{draw, Theme, DARK, LIGHT};
use crate::plot::spec::{build, GroupInput, PlotSpec, XAxis};
use crate::share::browser::{copy, download_text, download_url};
use crate::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use plotters_canvas::CanvasBackend;
use scalescope_core::analysis::Analysis;
use scalescope_core::chinchilla::{compute_for_loss, ChinchillaParams};
use scalescope_core::export::{curves_csv, fit_json, latex_all, python, Questions};
use scalescope_core::Form;
use wasm_bindgen::JsCast;

/// Exported plot size in CSS pixels (PNG 2× doubles it).
const WIDTH: u32 = 960;
const HEIGHT: u32 = 600;

/// The export buttons and the snippet shown after a copy.
#[component]
pub fn ExportPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let light = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let snippet = RwSignal::new(None::<String>);
    let theme = move || {
        if state.dark.get_untracked() && !light.get_untracked() {
            &DARK
        } else {
            &LIGHT
        }
    };
    let report = move |ok: bool, what: &str| {
        message.set((!ok).then(|| {
            format!("Could not export the {what}: nothing is fitted yet, or the browser refused.")
        }));
    };
    let png = move |scale: u32| {
        let ok = spec(state)
            .and_then(|s| png_data_url(&s, theme(), scale))
            .is_some_and(|url| download_url(&format!("scalescope-plot@{scale}x.png"), &url));
        report(ok, "PNG");
    };
    let svg = move |_| {
        let ok = spec(state)
            .and_then(|s| svg_text(&s, theme()))
            .is_some_and(|t| download_text("scalescope-plot.svg", "image/svg+xml", &t));
        report(ok, "SVG");
    };
    let csv = move |_| {
        let ok = state
            .analysis
            .get_untracked()
            .is_some_and(|a| download_text("scalescope-fit.csv", "text/csv", &curves_csv(&a)));
        report(ok, "CSV");
    };
    let json = move |_| {
        let questions = Questions {
            target: state.target_loss.get_untracked().map(|l| (l, None)),
            compute: state.compute_budget.get_untracked(),
        };
        let table = state
            .shared_fits
            .get_untracked()
            .is_none()
            .then(|| state.table.get_untracked())
            .flatten();
        let ok = state.analysis.get_untracked().is_some_and(|a| {
            download_text(
                "scalescope-fit.json",
                "application/json",
                &fit_json(table.as_deref(), &a, questions),
            )
        });
        report(ok, "JSON");
    };
    let copy_text = move |text: Option<String>| {
        let Some(text) = text else {
            report(false, "formula");
            return;
        };
        snippet.set(Some(text.clone()));
        spawn_local(async move {
            let ok = copy(&text).await;
            message.set(Some(if ok {
                "Copied to the clipboard.".into()
            } else {
                "Select the text below and copy it.".into()
            }));
        });
    };
    let latex = move |_| {
        copy_text(
            state
                .analysis
                .get_untracked()
                .map(|a| latex_all(&a, &state.input_name())),
        )
    };
    let py = move |_| copy_text(state.analysis.get_untracked().map(|a| python(&a)));
    view! {
        <section class="export-panel" aria-labelledby="export-title">
            <style>{CSS}</style>
            <h2 id="export-title">"Export"</h2>
            <div class="export-row">
                <span class="export-label">"Plot"</span>
                <button data-testid="export-png" on:click=move |_| png(1)>"PNG"</button>
                <button data-testid="export-png-2x" on:click=move |_| png(2)>"PNG 2×"</button>
                <button data-testid="export-svg" on:click=svg>"SVG"</button>
                <label>
                    <input type="checkbox" data-testid="export-light" prop:checked=move || light.get() on:change=move |_| light.update(|l| *l = !*l) />
                    " light theme"
                </label>
            </div>
            <div class="export-row">
                <span class="export-label">"Fit"</span>
                <button data-testid="export-csv" on:click=csv>"curves + data (CSV)"</button>
                <button data-testid="export-json" on:click=json>"JSON"</button>
                <button data-testid="copy-latex" on:click=latex>"copy LaTeX"</button>
                <button data-testid="copy-python" on:click=py>"copy Python"</button>
            </div>
            <p class="note" data-testid="export-message">{move || message.get()}</p>
            <Show when=move || snippet.get().is_some()>
                <textarea class="snippet" data-testid="export-snippet" readonly=true rows="6" prop:value=move || snippet.get().unwrap_or_default()></textarea>
            </Show>
        </section>
    }
}

/// The plot as the canvas shows it (same spec as the plot panel builds).
fn spec(state: AppState) -> Option<PlotSpec> {
    let analysis = state.analysis.get_untracked()?;
    let groups: Vec<GroupInput<'_>> = analysis
        .groups
        .iter()
        .map(|g| GroupInput {
            name: g.name.as_deref(),
            points: &g.points,
            lines: &g.lines,
            excluded: &g.excluded,
            fit: g.fit.as_ref().ok(),
        })
        .collect();
    let (x_name, y_name) = state.axis_names.get_untracked();
    let target = state.target_loss.get_untracked();
    let axis = state.x_axis.get_untracked();
    let reach = target.and_then(|t| reach_x(&analysis, axis, t));
    Some(build(&groups, axis, (&x_name, &y_name), reach, target))
}

/// The largest scale needed to reach `target` (as the plot panel extends its curves).
fn reach_x(analysis: &Analysis, axis: XAxis, target: f64) -> Option<f64> {
    analysis
        .groups
        .iter()
        .filter_map(|g| g.fit.as_ref().ok())
        .filter_map(|f| match (f.form, axis) {
            (Form::Chinchilla, XAxis::C) => ChinchillaParams::from_fit(f)
                .and_then(|p| compute_for_loss(&p, target).ok())
                .map(|a| a.compute),
            (Form::Chinchilla, _) => None,
            _ => f.required_x(target).ok().map(|r| r.x),
        })
        .filter(|x| x.is_finite() && *x > 0.0)
        .reduce(f64::max)
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
    let backend = CanvasBackend::with_canvas_object(canvas.clone())?;
    draw(&backend.into_drawing_area(), spec, theme, f64::from(scale)).ok()?;
    canvas.to_data_url_with_type("image/png").ok()
}

/// The plot as SVG text, drawn by the same code as the canvas.
fn svg_text(spec: &PlotSpec, theme: &Theme) -> Option<String> {
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, spec, theme, 1.0).ok()?;
    }
    (!out.is_empty()).then_some(out)
}

/// The panel's styles.
const CSS: &str = "
.export-panel { margin-top: 1rem; padding-top: 0.8rem; border-top: 1px solid var(--line); }
.export-row { display: flex; flex-wrap: wrap; gap: 0.4rem 0.6rem; align-items: center; margin: 0.3rem 0; }
.export-label { color: var(--muted); font-weight: 600; font-size: 0.88rem; min-width: 2.5rem; }
.export-panel .snippet { width: 100%; font-family: ui-monospace, monospace; font-size: 0.8rem; }
";
