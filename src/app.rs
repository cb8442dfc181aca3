//! The page layout.

use crate::components::bootstrap::{BootState, BootstrapPanel};
use crate::components::calculator::Calculator;
use crate::components::export_panel::ExportPanel;
use crate::components::rolling::RollingBacktest;
use crate::components::share_panel::SharePanel;
use crate::components::update_note::UpdateNote;
use crate::components::{
    data_panel::DataPanel, fit_controls::FitControls, fit_table::FitTable, params::Params,
    plot_panel::PlotPanel, plot_table::PlotTable,
};
use crate::state::AppState;
use leptos::prelude::*;

/// The whole page: data, then plot and fit, then calculator, sharing and export (three
/// columns on a wide screen, two on a laptop, one on a phone).
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    provide_context(BootState::new(state));
    view! {
        <div class=move || if state.dark.get() { "app dark" } else { "app light" }>
            <header class="topbar">
                <h1>"Scalescope"</h1>
                <p class="tagline">"Scaling laws from your runs — fitted in your browser; the data never leaves it."</p>
                <UpdateNote />
                <button
                    class="theme-toggle"
                    aria-label=move || if state.dark.get() { "Light theme" } else { "Dark theme" }
                    on:click=move |_| state.dark.update(|d| *d = !*d)
                >
                    {move || if state.dark.get() { "☀ Light" } else { "☾ Dark" }}
                </button>
            </header>
            <main class="layout">
                <section class="panel data" aria-label="Data">
                    <DataPanel />
                </section>
                <section class="panel results" aria-label="Fit">
                    <FitControls />
                    <Params />
                    <PlotPanel />
                    <PlotTable />
                    <FitTable />
                    <RollingBacktest />
                    <BootstrapPanel />
                </section>
                <aside class="panel tools" aria-label="Calculator, sharing and export">
                    <Calculator />
                    <SharePanel />
                    <ExportPanel />
                </aside>
            </main>
        </div>
    }
}
