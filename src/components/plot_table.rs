//! The chart's data and fitted values as a table (`plot::table`), in a disclosure under the
//! chart: what a screen reader reads instead of the canvas. Its rows are built only while
//! it is open (10⁵ rows would cost every refit otherwise).

use crate::plot::table::rows;
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::format::{scale, sig};

/// The disclosure with the table.
#[component]
pub fn PlotTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let open = RwSignal::new(false);
    let dash = || "—".to_string();
    let body = move || {
        let spec = state.plot_spec.get()?;
        let y = |v: Option<f64>| v.map_or_else(dash, |v| sig(v, 5));
        // As the axis writes it (70M, 1.4B; FLOP in plain numbers), to six digits.
        let x = |v: f64| {
            if spec.x_is_scale {
                scale(v, 6)
            } else {
                sig(v, 6)
            }
        };
        let rows = rows(&spec)
            .into_iter()
            .map(|r| {
                let band = r
                    .band
                    .map_or_else(dash, |(lo, hi)| format!("{} – {}", sig(lo, 4), sig(hi, 4)));
                view! {
                    <tr>
                        <td>{r.group}</td>
                        <td>{r.line.map_or_else(dash, |l| l.to_string())}</td>
                        <td>{x(r.x)}</td>
                        <td>{y(r.observed)}</td>
                        <td>{y(r.fitted)}</td>
                        <td>{band}</td>
                        <td data-testid="plot-row-use">{match (r.excluded, r.held_out) {
                            (true, _) => "excluded",
                            (false, true) => "held out",
                            (false, false) => "used",
                        }}</td>
                    </tr>
                }
            })
            .collect_view();
        Some(view! {
            <table class="preview" data-testid="plot-table">
                <caption>"Observations and fitted values; a group without data lists its curve with the 95 % confidence band."</caption>
                <thead>
                    <tr>
                        <th scope="col">"group"</th>
                        <th scope="col">"line"</th>
                        <th scope="col">{spec.x_label.clone()}</th>
                        <th scope="col">{format!("observed {}", spec.y_label)}</th>
                        <th scope="col">"fitted"</th>
                        <th scope="col">"95 % band"</th>
                        <th scope="col">"fit"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        })
    };
    view! {
        <details class="plot-data" on:toggle=move |ev| open.set(event_target::<web_sys::HtmlDetailsElement>(&ev).open())>
            <summary data-testid="plot-table-toggle">"The chart's data and fitted values as a table"</summary>
            // Focusable: a keyboard scrolls it (it holds nothing else to focus).
            <div class="preview-scroll" tabindex="0" role="region" aria-label="The chart's data and fitted values">{move || open.get().then(body)}</div>
        </details>
    }
}
