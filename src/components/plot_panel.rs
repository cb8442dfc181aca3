//! The log-log chart on a canvas (plotters-canvas), redrawn by an effect whenever the plot
//! spec, the theme or the canvas size changes. Crisp on HiDPI screens: the backing store is
//! the CSS size × devicePixelRatio.

use crate::plot::draw::{draw, DARK, LIGHT};
use crate::plot::spec::{build, GroupInput, PlotSpec, XAxis};
use crate::state::AppState;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use scalescope_core::analysis::Analysis;
use scalescope_core::chinchilla::{compute_for_loss, ChinchillaParams};
use scalescope_core::Form;

/// The chart.
#[component]
pub fn PlotPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas = NodeRef::<Canvas>::new();
    let width = RwSignal::new(0u32);
    let _resize = window_event_listener(leptos::ev::resize, move |_| {
        if let Some(c) = canvas.get_untracked() {
            width.set(c.client_width().max(0) as u32);
        }
    });
    let spec = Memo::new(move |_| {
        let analysis = state.analysis.get()?;
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
        let (x_name, y_name) = state.axis_names.get();
        let target = state.target_loss.get();
        let axis = state.x_axis.get();
        let reach = target.and_then(|t| reach_x(&analysis, axis, t));
        Some(build(&groups, axis, (&x_name, &y_name), reach, target))
    });
    Effect::new(move |_| {
        let Some(el) = canvas.get() else { return };
        let _ = width.get();
        let dark = state.dark.get();
        let Some(spec) = spec.get() else { return };
        paint(&el, &spec, dark);
    });
    view! {
        <div class="plot-wrap">
            <canvas data-testid="plot" node_ref=canvas class="plot" role="img" aria-label="Log-log plot of the data and fitted laws"></canvas>
        </div>
    }
}

/// How far the curves must reach to show where they cross the target: the largest
/// required scale over the groups (for chinchilla on the C axis, the compute-optimal C).
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

/// Sizes the backing store to CSS size × devicePixelRatio and draws.
fn paint(el: &web_sys::HtmlCanvasElement, spec: &PlotSpec, dark: bool) {
    let dpr = window().device_pixel_ratio().max(1.0);
    let css_w = f64::from(el.client_width().max(320));
    let css_h = (css_w * 0.58).clamp(280.0, 560.0);
    let _ = web_sys::HtmlElement::style(el).set_property("height", &format!("{css_h}px"));
    el.set_width((css_w * dpr).round() as u32);
    el.set_height((css_h * dpr).round() as u32);
    let Some(backend) = CanvasBackend::with_canvas_object(el.clone()) else {
        return;
    };
    let root = backend.into_drawing_area();
    let theme = if dark { &DARK } else { &LIGHT };
    if let Err(e) = draw(&root, spec, theme, dpr) {
        leptos::logging::warn!("plot: {e}");
    }
}
