//! The page's state: one signal per user input, everything else derived.
//!
//! Every input change sends a [`Job`] to the [`Engine`] (a Web Worker); its answer sets
//! `parsed`, `table` and the analysis, from which the plot spec is a memo. A text that does
//! not read leaves the last table in place, so a typo shows an error without losing the
//! previous fit.

use crate::engine::Engine;
use crate::plot::spec::{for_analysis, mark_held_out, PlotSpec, XAxis};
use crate::shared::Shared;
use leptos::prelude::*;
use scalescope_core::analysis::{Analysis, AnalysisOptions};
use scalescope_core::backtest::{Backtest, HoldOut, Mode};
use scalescope_core::examples::ExampleId;
use scalescope_core::formula::Formula;
use scalescope_core::job::{Job, Outcome};
use scalescope_core::laws::custom::CustomSpec;
use scalescope_core::presets::PresetId;
use scalescope_core::table::{ColumnRef, ReadError, ReadOptions, Role, Table};
use scalescope_core::{Form, Lines, Objective};
use std::time::Duration;

/// Texts longer than this (bytes) are "long": the text area shows only their start (a
/// browser lays out every line of a text area on the main thread; Chromium: 1.4–2.1 s for
/// 10⁵ rows) and share links carry the fitted laws, not the data (a link of hundreds of
/// kilobytes, whose compression would block the page).
pub const LONG_TEXT: usize = 64 * 1024;

/// All of the page's inputs (signals) and what is derived from them (memos).
#[derive(Clone, Copy)]
pub struct AppState {
    /// The CSV text in the textarea.
    pub csv: RwSignal<String>,
    /// Whether the text is longer than [`LONG_TEXT`].
    pub long_text: Memo<bool>,
    /// The built-in example the text came from, if any.
    pub example: RwSignal<Option<ExampleId>>,
    /// Roles the user chose for columns (by index), over the reader's guesses.
    pub roles: RwSignal<Vec<(usize, Role)>>,
    /// The law to fit.
    pub form: RwSignal<Form>,
    /// Whether the user (or a link) chose the law. Until then the law follows the table:
    /// a table with N and D gets a law of both ([`Form::for_inputs`], as the CLI).
    pub form_chosen: RwSignal<bool>,
    /// Parameters held at a value (name, value) in every group's fit: the pins.
    pub fixed: RwSignal<Vec<(String, f64)>>,
    /// Whether the law menu is on "custom…": the formula editor shows, and `custom` makes
    /// the law once it reads.
    pub custom_open: RwSignal<bool>,
    /// What the formula editor holds: the text as typed, starts and positive parameters.
    pub custom: RwSignal<CustomSpec>,
    /// Why the editor's formula does not make a law (shown under the field; the last law
    /// that did stays fitted).
    pub custom_error: RwSignal<Option<String>>,
    /// The objective; None = the form's default.
    pub objective: RwSignal<Option<Objective>>,
    /// Fit each group separately.
    pub per_group: RwSignal<bool>,
    /// Source lines excluded from the fit (clicked points).
    pub excluded: RwSignal<Lines>,
    /// x axis of the plot (chinchilla: N, D or C).
    pub x_axis: RwSignal<XAxis>,
    /// Dark theme.
    pub dark: RwSignal<bool>,
    /// A file that could not be read (the table keeps its text).
    pub file_error: RwSignal<Option<String>>,
    /// A published law drawn over the data.
    pub overlay: RwSignal<Option<PresetId>>,
    /// The calculator's target loss (nats), when one is entered (perplexity is converted).
    pub target_loss: RwSignal<Option<f64>>,
    /// The calculator's compute budget in FLOP, when one is entered.
    pub compute_budget: RwSignal<Option<f64>>,
    /// A share link or the autosaved work could not be opened (shown in the error area).
    pub link_error: RwSignal<Option<String>>,
    /// The laws of an opened fit-only link (no data): shown instead of the table's fits
    /// until new data arrive (see `crate::share`).
    pub shared_fits: RwSignal<Option<Shared<Analysis>>>,
    /// The newest text as read: a table or the reason it is not one (`None` until the
    /// engine first answers).
    pub parsed: RwSignal<Option<Result<Shared<Table>, ReadError>>>,
    /// The last table that read (kept while the text has an error), derived from `parsed`.
    pub table: Memo<Option<Shared<Table>>>,
    /// Fits per group of the last good table (or the laws of a fit-only link).
    pub analysis: Memo<Option<Shared<Analysis>>>,
    /// The engine is reading and fitting newer inputs than those shown.
    pub busy: RwSignal<bool>,
    /// Where reading and fitting run (a Web Worker, or inline): see [`crate::engine`].
    pub engine: StoredValue<Engine, LocalStorage>,
    /// The newest job sent to the engine: once the engine is not busy, the one whose
    /// answer `analysis` shows (the bootstrap resamples it).
    pub last_job: StoredValue<Option<Job>>,
    /// Headers of the input and the y column, for axis titles.
    pub axis_names: Memo<(String, String)>,
    /// The backtest's "hold out the K largest scales", when it is on.
    pub backtest_k: RwSignal<Option<usize>>,
    /// Every group's backtest of the shown analysis, while the backtest is on.
    pub backtest: Memo<Option<Shared<Backtest>>>,
    /// Every group's rolling backtest (each scale predicted from the smaller ones), while
    /// the backtest is on.
    pub rolling: Memo<Option<Shared<Backtest>>>,
    /// What the chart shows (the canvas and the PNG/SVG export draw the same).
    pub plot_spec: Memo<Option<PlotSpec>>,
}

impl AppState {
    /// The state on first open: the default example, fitted with the form that suits it.
    pub fn new() -> Self {
        let example = ExampleId::ALL[0];
        let csv = RwSignal::new(example.generate().csv);
        let roles = RwSignal::new(Vec::<(usize, Role)>::new());
        let form = RwSignal::new(default_form(example));
        let objective = RwSignal::new(None::<Objective>);
        let per_group = RwSignal::new(true);
        let excluded = RwSignal::new(Lines::new());
        let shared_fits = RwSignal::new(None::<Shared<Analysis>>);
        let parsed = RwSignal::new(None::<Result<Shared<Table>, ReadError>>);
        let table = Memo::new(
            move |last: Option<&Option<Shared<Table>>>| match parsed.get() {
                Some(Ok(t)) => Some(t),
                _ => last.cloned().flatten(),
            },
        );
        let form_chosen = RwSignal::new(false);
        // The law follows the table's inputs until one is chosen.
        Effect::new(move |_| {
            let Some(two) = table.with(|t| t.as_ref().map(|t| t.two_inputs())) else {
                return;
            };
            if form_chosen.get_untracked() {
                return;
            }
            let current = form.get_untracked();
            let suited = Form::for_inputs(two, Some(current));
            if suited != current {
                form.set(suited);
            }
        });
        let fixed = RwSignal::new(Vec::<(String, f64)>::new());
        // A pin belongs to a parameter of the law: a new law keeps only the pins it has.
        Effect::new(move |_| {
            let names = form.get().param_names();
            let stale =
                fixed.with_untracked(|v| v.iter().any(|(n, _)| !names.contains(&n.as_str())));
            if stale {
                fixed.update(|v| v.retain(|(n, _)| names.contains(&n.as_str())));
            }
        });
        let custom_open = RwSignal::new(false);
        let custom = RwSignal::new(CustomSpec::default());
        let custom_error = RwSignal::new(None::<String>);
        follow_formula(custom_open, custom, custom_error, form, form_chosen, table);
        let computed = RwSignal::new(None::<Shared<Analysis>>);
        let last_job = StoredValue::new(None::<Job>);
        let busy = RwSignal::new(false);
        let engine = StoredValue::new_local(Engine::start(move |outcome: Outcome| {
            match outcome.read {
                Ok(()) => {
                    if let Some(t) = outcome.table.map(Shared::new) {
                        parsed.set(Some(Ok(t)));
                    }
                }
                Err(e) => parsed.set(Some(Err(e))),
            }
            computed.set(outcome.analysis.map(Shared::new));
            busy.set(false);
        }));
        // Every input change asks for a new read and fit (answered off the main thread).
        Effect::new(move |_| {
            let f = form.get();
            let o = objective.get();
            let read = roles.with(|r| {
                r.iter().fold(
                    ReadOptions::new()
                        .with_positivity(f.positivity(o.unwrap_or(Objective::default_for(f)))),
                    |opts, (i, role)| opts.with_role(ColumnRef::Index(*i), *role),
                )
            });
            let job = Job {
                text: csv.get(),
                read,
                analysis: AnalysisOptions {
                    form: f,
                    objective: o,
                    per_group: per_group.get(),
                    excluded_lines: excluded.get(),
                    fixed: fixed.get(),
                    ..AnalysisOptions::default()
                },
            };
            busy.set(true);
            last_job.set_value(Some(job.clone()));
            engine.with_value(|e| e.analyse(job));
        });
        let analysis = Memo::new(move |_| shared_fits.get().or_else(|| computed.get()));
        let axis_names = Memo::new(move |_| {
            let Some(t) = table.get() else {
                return ("x".into(), "loss".into());
            };
            axis_names(&t)
        });
        let x_axis = RwSignal::new(XAxis::default());
        let overlay = RwSignal::new(None::<PresetId>);
        let target_loss = RwSignal::new(None::<f64>);
        let backtest_k = RwSignal::new(None::<usize>);
        // Computed here, on the main thread, not in the worker: it is one refit per group
        // (of the points below the held-out scales) after the worker's analysis, no more
        // than the fit the worker just did, and it only runs while the backtest is on.
        let backtest_of = move |mode: Mode| {
            let analysis = analysis.get()?;
            // The options the shown analysis was fitted with: those of the newest job
            // (`analysis` changes when its answer arrives).
            let options = last_job.with_value(|j| j.as_ref().map(|j| j.analysis.fit_options()))?;
            let table = table.get_untracked();
            Some(Shared::new(Backtest::new(
                table.as_deref(),
                &analysis,
                &options,
                mode,
            )))
        };
        let backtest =
            Memo::new(move |_| backtest_of(Mode::HoldOut(HoldOut::Top(backtest_k.get()?))));
        let rolling = Memo::new(move |_| backtest_k.get().and_then(|_| backtest_of(Mode::Rolling)));
        let plot_spec = Memo::new(move |_| {
            let analysis = analysis.get()?;
            let (x, y) = axis_names.get();
            let law = overlay.get().map(|id| id.preset());
            let mut spec = for_analysis(
                &analysis,
                x_axis.get(),
                (&x, &y),
                target_loss.get(),
                law.as_ref(),
            );
            if let Some(b) = backtest.get() {
                mark_held_out(&mut spec, &b);
            }
            Some(spec)
        });
        AppState {
            csv,
            long_text: Memo::new(move |_| csv.with(|t| t.len() > LONG_TEXT)),
            example: RwSignal::new(Some(example)),
            roles,
            form,
            form_chosen,
            fixed,
            custom_open,
            custom,
            custom_error,
            objective,
            per_group,
            excluded,
            x_axis,
            dark: RwSignal::new(prefers_dark()),
            file_error: RwSignal::new(None),
            overlay,
            target_loss,
            compute_budget: RwSignal::new(None),
            link_error: RwSignal::new(None),
            shared_fits,
            parsed,
            table,
            analysis,
            busy,
            engine,
            last_job,
            axis_names,
            backtest_k,
            backtest,
            rolling,
            plot_spec,
        }
    }

    /// Loads a built-in example: its text, the form that suits it, no exclusions.
    pub fn load_example(&self, id: ExampleId) {
        self.set_text(id.generate().csv);
        self.form.set(default_form(id));
        self.form_chosen.set(false);
        self.custom_open.set(false);
        self.fixed.set(Vec::new());
        self.objective.set(None);
        self.example.set(Some(id));
        self.x_axis.set(if id == ExampleId::ChinchillaSweep {
            XAxis::C
        } else {
            XAxis::N
        });
    }

    /// New data (a paste, a dropped or opened file): forgets the roles and exclusions that
    /// belonged to the old columns and rows, unless the header line is the same.
    pub fn set_text(&self, text: String) {
        let same_header = self
            .csv
            .with_untracked(|old| old.lines().next() == text.lines().next());
        if !same_header {
            self.roles.set(Vec::new());
            self.excluded.set(Lines::new());
        }
        self.example.set(None);
        self.file_error.set(None);
        self.shared_fits.set(None);
        self.csv.set(text);
    }

    /// Opens the formula editor ("custom…" in the law menu). It starts from the law shown
    /// when that is a typed one, else from a formula that suits the table.
    pub fn open_custom(&self) {
        if let Some(law) = self.form.get_untracked().custom_law() {
            self.custom.set(law.spec().clone());
        } else if self.custom.with_untracked(|s| s.text.trim().is_empty()) {
            let two = self
                .table
                .with_untracked(|t| t.as_ref().is_some_and(|t| t.two_inputs()));
            self.custom
                .update(|s| s.text = crate::components::params::starter_formula(two).to_string());
        }
        self.custom_open.set(true);
    }

    /// Sets a column's role (from the preview's role selector).
    pub fn set_role(&self, column: usize, role: Role) {
        self.roles.update(|r| {
            r.retain(|(i, _)| *i != column);
            r.push((column, role));
        });
    }

    /// Excludes a source line from the fit, or includes it again.
    pub fn toggle_line(&self, line: usize) {
        self.excluded.update(|e| e.toggle(line));
    }
}

/// How long the formula editor waits after the last keystroke before it makes the law
/// (each law made is kept for the session: typing fast should not make one per key).
const FORMULA_DEBOUNCE: Duration = Duration::from_millis(300);

/// Makes the editor's law, `FORMULA_DEBOUNCE` after its last change, and fits it: the law
/// becomes the form, or the reason it is not one shows under the field while the last law
/// that read stays fitted.
fn follow_formula(
    open: RwSignal<bool>,
    custom: RwSignal<CustomSpec>,
    error: RwSignal<Option<String>>,
    form: RwSignal<Form>,
    form_chosen: RwSignal<bool>,
    table: Memo<Option<Shared<Table>>>,
) {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let spec = custom.get();
        if !open.get() {
            return;
        }
        // The table's input headers name its inputs (`params` for the N column).
        let spec = match table.get() {
            Some(t) => spec.with_headers(&t),
            None => spec,
        };
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let make = move || match Form::custom(&without_stale_names(spec)) {
            Ok(f) => {
                error.set(None);
                form_chosen.set(true);
                if form.get_untracked() != f {
                    form.set(f);
                }
            }
            Err(e) => error.set(Some(e.to_string())),
        };
        pending.set_value(set_timeout_with_handle(make, FORMULA_DEBOUNCE).ok());
    });
}

/// `spec` without the starts and positivity of names its formula no longer has (the user
/// deleted a parameter from the text: its start must not make the law an error).
fn without_stale_names(spec: CustomSpec) -> CustomSpec {
    let Ok(formula) = Formula::parse(&spec.text) else {
        return spec;
    };
    let has = |n: &str| formula.names().iter().any(|m| m == n);
    CustomSpec {
        starts: spec.starts.into_iter().filter(|(n, _)| has(n)).collect(),
        positive: spec.positive.into_iter().filter(|n| has(n)).collect(),
        text: spec.text,
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
}

/// Axis titles from the headers of the input and y columns.
fn axis_names(t: &Table) -> (String, String) {
    let header = |want: &[Role]| {
        t.roles()
            .iter()
            .position(|r| want.contains(r))
            .and_then(|i| t.headers().get(i).cloned())
    };
    let x = header(&[Role::X, Role::N, Role::D, Role::C]).unwrap_or_else(|| "x".into());
    let y = match header(&[Role::Perplexity]) {
        Some(h) => format!("loss = ln({h})"),
        None => header(&[Role::Loss]).unwrap_or_else(|| "loss".into()),
    };
    (x, y)
}

/// The form each example was generated with.
pub fn default_form(id: ExampleId) -> Form {
    match id {
        ExampleId::Families => Form::Saturating,
        ExampleId::KaplanPower => Form::Power,
        ExampleId::ChinchillaSweep => Form::Chinchilla,
    }
}

fn prefers_dark() -> bool {
    window()
        .match_media("(prefers-color-scheme: dark)")
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}
