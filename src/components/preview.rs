//! The preview of the parsed table: detected delimiter and header, a role selector per
//! column, and a checkbox per row to leave it out of the fit.

use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::table::Role;

/// Rows rendered in the preview; the rest are summarised.
const MAX_ROWS: usize = 200;

/// The parsed table with its column roles.
#[component]
pub fn Preview() -> impl IntoView {
    let state = expect_context::<AppState>();
    let body = move || {
        let t = state.table.get()?;
        let excluded = state.excluded.get();
        let summary = format!(
            "{} rows, {} delimiter, {}",
            t.len(),
            t.delimiter(),
            if t.has_header() {
                "header row detected"
            } else {
                "no header row"
            }
        );
        let heads = t
            .headers()
            .iter()
            .zip(t.roles())
            .enumerate()
            .map(|(i, (h, role))| {
                let role = *role;
                let on_change = move |ev| {
                    if let Ok(r) = event_target_value(&ev).parse::<Role>() {
                        state.set_role(i, r);
                    }
                };
                view! {
                    <th scope="col">
                        <span class="col-name">{h.clone()}</span>
                        <select aria-label=format!("role of column {h}") on:change=on_change>
                            {Role::ALL
                                .into_iter()
                                .map(|r| view! { <option value=r.name() selected=r == role>{r.name()}</option> })
                                .collect_view()}
                        </select>
                    </th>
                }
            })
            .collect_view();
        let rows = t
            .rows()
            .take(MAX_ROWS)
            .map(|r| {
                let line = r.line;
                let out = excluded.contains(line);
                let cells = r
                    .cells
                    .iter()
                    .map(|c| view! { <td>{c.to_string()}</td> })
                    .collect_view();
                view! {
                    <tr class:unusable=!r.usable class:excluded=out>
                        <td class="line">
                            <input
                                type="checkbox"
                                aria-label=format!("use line {line} in the fit")
                                prop:checked=!out
                                disabled=!r.usable
                                on:change=move |_| state.toggle_line(line)
                            />
                            // Text, not a number: no separate number renderer in the page.
                            {line.to_string()}
                        </td>
                        {cells}
                    </tr>
                }
            })
            .collect_view();
        let more = (t.len() > MAX_ROWS).then(|| format!("… and {} more rows", t.len() - MAX_ROWS));
        Some(
            view! {
                <p class="note" data-testid="preview-summary">{summary}</p>
                <div class="preview-scroll">
                    <table class="preview" data-testid="preview">
                        <thead><tr><th scope="col">"line"</th>{heads}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
                <p class="note">{more}</p>
            }
            .into_any(),
        )
    };
    view! { <div class="preview-wrap">{move || body()}</div> }
}
