//! The log-log chart on a canvas (plotters-canvas), redrawn by an effect whenever the plot
//! spec, the theme or the canvas size changes. Crisp on HiDPI screens: the backing store is
//! the CSS size × devicePixelRatio.

use crate::plot::draw::{draw, DARK, LIGHT};
use crate::plot::spec::{build, GroupInput, PlotSpec, XAxis};
use scalescope_core::analysis::Analysis;
use scalescope_core::chinchilla::{compute_for_loss, ChinchillaParams};
use scalescope_core::Form;
use crate::state::AppState;
use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;

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
