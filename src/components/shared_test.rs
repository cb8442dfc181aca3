//! Parameters shared across groups (issue 14 §2): the joint fit with one value of each
//! shared parameter for every group, and the F test against the separate fits ("one alpha
//! explains all families: p = 0.41"), under the fit table.

use crate::shared::Shared;
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::shared_fit::{of_analysis, SharedError, SharedFit};

/// The joint fit's summary, while a parameter is shared.
#[component]
pub fn SharedTest() -> impl IntoView {
    let state = expect_context::<AppState>();
    // Computed here, like the backtest: one joint fit of the groups the worker just fitted.
    let result = Memo::new(move |_| -> Option<Result<Shared<SharedFit>, SharedError>> {
        let names = state.shared.get();
        if names.is_empty() {
            return None;
        }
        let analysis = state.analysis.get()?;
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        Some(of_analysis(&analysis, &names).map(Shared::new))
    });
    move || {
        result.get().map(|r| match r {
            Ok(f) => {
                let values = f
                    .names
                    .iter()
                    .zip(&f.values)
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                view! {
                    <p class="start" data-testid="shared-test" data-p=f.p.to_string() data-statistic=f.statistic.to_string() data-values=values>{f.summary()}</p>
                }
                .into_any()
            }
            Err(e) => view! { <p class="bad" data-testid="shared-test">{format!("no shared fit: {e}")}</p> }.into_any(),
        })
    }
}
