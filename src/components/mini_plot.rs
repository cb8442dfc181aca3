//! A small log-log chart beside an analysis (the rolling backtest, isoFLOP profiles, a
//! compute multiplier over loss, the cost of going off-optimal): a [`PlotSpec`] from
//! [`crate::plot::spec::small`], drawn by the main chart's [`draw`], with its points as a
//! list for screen readers and tests.

use crate::components::plot_panel::paint;
use crate::plot::draw::{draw, DARK, LIGHT};
use crate::plot::spec::PlotSpec;
use crate::state::AppState;
use leptos::html::Canvas;
use leptos::prelude::*;
use scalescope_core::format::sig;

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
    });
    // Every line's points, "x y" pairs, for screen readers and tests.
    let listing = move || {
        spec.with(|s| {
            s.as_ref().map(|s| {
                s.series
                    .iter()
                    .map(|se| {
                        let pts = se
                            .points
                            .iter()
                            .map(|p| format!("({}, {})", sig(p.x, 4), sig(p.y, 4)))
                            .collect::<Vec<_>>()
                            .join(" ");
                        // Full precision for tests: "x y;x y".
                        let exact = se
                            .points
                            .iter()
                            .map(|p| format!("{} {}", p.x, p.y))
                            .collect::<Vec<_>>()
                            .join(";");
                        view! { <li data-series=se.name.clone() data-points=exact>{se.name.clone()}": "{pts}</li> }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <Show when=move || spec.with(Option::is_some)>
            <canvas node_ref=canvas class="plot mini" data-testid=testid role="img" aria-label=label></canvas>
            <ul class="sr-only" data-testid=format!("{testid}-points")>{listing}</ul>
        </Show>
    }
}
