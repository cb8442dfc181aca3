//! A small log-log chart beside an analysis (the rolling backtest): a [`PlotSpec`] from
//! [`crate::plot::spec::small`], drawn by the main chart's [`draw`]. Its points, `x y` pairs
//! per line (`;` between points, `|` between lines, full precision), are in the canvas's
//! `data-points`, for tests and assistive tooling; the component that shows a chart says
//! what it shows in words.

use crate::components::plot_panel::paint;
use crate::plot::draw::{draw, DARK, LIGHT};
use crate::plot::spec::PlotSpec;
use crate::state::AppState;
use leptos::html::Canvas;
use leptos::prelude::*;

/// The chart of `spec` (nothing while it is `None`), `testid` on its canvas, `label` read
/// by screen readers.
#[component]
pub fn MiniPlot(
    /// What to draw.
    spec: Signal<Option<PlotSpec>>,
    /// The canvas's `data-testid`.
    testid: &'static str,
    /// What the chart shows, for screen readers.
    label: &'static str,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move |_| {
        let theme = if state.dark.get() { &DARK } else { &LIGHT };
        let (Some(spec), Some(el)) = (spec.get(), canvas.get()) else {
            return;
        };
        paint(&el, 0.45, &mut |root, dpr| {
            draw(root, &spec, theme, dpr).map(|_| ())
        });
        let _ = el.set_attribute("data-points", &points(&spec));
    });
    view! {
        <canvas node_ref=canvas class="plot mini" data-testid=testid role="img" aria-label=label hidden=move || spec.with(Option::is_none)></canvas>
    }
}

/// `x y;x y|x y` over the lines' marked points.
fn points(spec: &PlotSpec) -> String {
    spec.series
        .iter()
        .map(|s| {
            s.points
                .iter()
                .map(|p| format!("{} {}", p.x, p.y))
                .collect::<Vec<_>>()
                .join(";")
        })
        .collect::<Vec<_>>()
        .join("|")
}
