//! The bootstrap panel: resamples, run and cancel, a progress bar; the fit table shows the
//! percentile intervals as they fill in ([`crate::pool`]).

use crate::pool::{Pool, Progress};
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::bootstrap::{Bootstrap, DEFAULT_RESAMPLES, DEFAULT_SEED, RESAMPLES};
use scalescope_core::format::sig;

/// The bootstrap of the fits shown: its progress and its pool.
#[derive(Clone, Copy)]
pub struct BootState {
    /// Where the running (or last) bootstrap stands; `None` before one runs or after the
    /// fits change.
    pub progress: RwSignal<Option<Progress>>,
    /// The running bootstrap.
    pool: StoredValue<Option<Pool>, LocalStorage>,
}

impl BootState {
    /// No bootstrap yet. A new analysis cancels a running bootstrap and clears the last one
    /// (its intervals belonged to other fits).
    pub fn new(state: AppState) -> Self {
        let boot = BootState {
            progress: RwSignal::new(None),
            pool: StoredValue::new_local(None),
        };
        Effect::new(move |_| {
            state.analysis.track();
            boot.cancel();
            boot.progress.set(None);
        });
        boot
    }

    /// Starts `resamples` resamples of the fits shown, under the CLI's default seed, on a
    /// worker per core the browser reports (at least two).
    pub fn start(&self, state: AppState, resamples: u64) {
        let (Some(job), Some(analysis)) =
            (state.last_job.get_value(), state.analysis.get_untracked())
        else {
            return;
        };
        self.cancel();
        let cores = window().navigator().hardware_concurrency();
        let workers = if cores.is_finite() {
            (cores as usize).clamp(2, 8)
        } else {
            2
        };
        let progress = self.progress;
        progress.set(Some(Progress {
            done: 0,
            total: resamples,
            groups: Vec::new(),
            cancelled: false,
        }));
        let pool = Pool::start(job, analysis, resamples, DEFAULT_SEED, workers, move |p| {
            progress.set(Some(p));
        });
        self.pool.set_value(Some(pool));
    }

    /// Stops the running bootstrap (the intervals so far stay).
    pub fn cancel(&self) {
        if let Some(pool) = self.pool.try_update_value(Option::take).flatten() {
            pool.cancel();
        }
    }

    /// The summary of group `index` so far, when it has one.
    pub fn group(&self, index: usize) -> Option<Bootstrap> {
        self.progress.with(|p| {
            p.as_ref()
                .and_then(|p| p.groups.get(index).cloned().flatten())
                .and_then(Result::ok)
        })
    }
}

/// Resamples, a Run/Cancel button and the progress.
#[component]
pub fn BootstrapPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let boot = expect_context::<BootState>();
    let resamples = RwSignal::new(DEFAULT_RESAMPLES.to_string());
    let parsed = Memo::new(move |_| {
        resamples
            .get()
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|b| RESAMPLES.contains(b))
    });
    let running = Memo::new(move |_| {
        boot.progress
            .with(|p| p.as_ref().is_some_and(|p| !p.finished()))
    });
    // A fit-only link has no data to resample.
    let can_run = move || {
        parsed.get().is_some() && !state.busy.get() && state.shared_fits.with(Option::is_none)
    };
    let on_click = move |_| {
        if running.get_untracked() {
            boot.cancel();
            boot.progress.update(|p| {
                if let Some(p) = p {
                    p.cancelled = true;
                }
            });
        } else if let Some(b) = parsed.get_untracked() {
            boot.start(state, b as u64);
        }
    };
    let status = move || {
        boot.progress.with(|p| {
            p.as_ref().map(|p| {
                let failed: usize = p
                    .groups
                    .iter()
                    .flatten()
                    .filter_map(|g| g.as_ref().ok())
                    .map(|b| b.failed)
                    .max()
                    .unwrap_or(0);
                let failed = if failed > 0 {
                    format!(", {failed} could not be refitted")
                } else {
                    String::new()
                };
                let cancelled = if p.cancelled && p.done < p.total {
                    " — cancelled"
                } else {
                    ""
                };
                format!(
                    "{} of {} resamples{failed}{cancelled} (seed {DEFAULT_SEED}; percentile 95 % intervals)",
                    p.done, p.total
                )
            })
        })
    };
    view! {
        <div class="bootstrap" data-testid="bootstrap">
            <label>
                "Bootstrap "
                <input
                    type="text"
                    inputmode="numeric"
                    size="6"
                    data-testid="boot-resamples"
                    aria-label="Bootstrap resamples (100 to 10000)"
                    prop:value=move || resamples.get()
                    on:input=move |ev| resamples.set(event_target_value(&ev))
                />
                " resamples"
            </label>
            <button
                data-testid="boot-run"
                disabled=move || !running.get() && !can_run()
                on:click=on_click
            >
                {move || if running.get() { "Cancel" } else { "Run bootstrap" }}
            </button>
            <Show when=move || boot.progress.with(Option::is_some)>
                <progress
                    data-testid="boot-progress"
                    max=move || boot.progress.with(|p| p.as_ref().map_or(1, |p| p.total.max(1)))
                    value=move || boot.progress.with(|p| p.as_ref().map_or(0, |p| p.done))
                ></progress>
                <small data-testid="boot-status" role="status">{status}</small>
            </Show>
            <Show when=move || parsed.get().is_none()>
                <small class="bad">"choose between 100 and 10000 resamples"</small>
            </Show>
        </div>
    }
}

/// The bootstrap interval of parameter `param` of group `group`, once there is one.
pub fn interval(boot: BootState, group: usize, param: usize) -> impl IntoView {
    move || {
        boot.group(group).and_then(|b| {
            let (lo, hi) = *b.ci95.get(param)?;
            let se = *b.se.get(param)?;
            Some(view! {
                <small class="boot" data-testid="boot-ci" data-lo=lo.to_string() data-hi=hi.to_string() data-se=se.to_string()>
                    " bootstrap ± "{sig(se, 2)}" ["{sig(lo, 3)}", "{sig(hi, 3)}"]"
                </small>
            })
        })
    }
}
