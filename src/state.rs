//! The page's state: one signal per user input, everything else derived.
//!
//! `csv → table → analysis → plot spec` are memos; the table memo keeps the last table that
//! parsed, so a typo in the textarea shows an error without losing the previous fit.

use crate::plot::spec::XAxis;
use crate::shared::Shared;
use leptos::prelude::*;
use scalescope_core::analysis::{analyze, Analysis, AnalysisOptions};
use scalescope_core::examples::ExampleId;
use scalescope_core::table::{read_table, ReadError, ReadOptions, Role, Table};
use scalescope_core::{Form, Objective};
use std::collections::BTreeSet;

/// All of the page's inputs (signals) and what is derived from them (memos).
#[derive(Clone, Copy)]
pub struct AppState {
    /// The CSV text in the textarea.
    pub csv: RwSignal<String>,
    /// The built-in example the text came from, if any.
    pub example: RwSignal<Option<ExampleId>>,
    /// The law to fit.
    pub form: RwSignal<Form>,
    /// The objective; None = the form's default.
    pub objective: RwSignal<Option<Objective>>,
    /// Source lines excluded from the fit (clicked points).
    pub excluded: RwSignal<BTreeSet<usize>>,
    /// x axis of the plot (chinchilla: N, D or C).
    pub x_axis: RwSignal<XAxis>,
    /// Dark theme.
    pub dark: RwSignal<bool>,
    /// The calculator's target loss (nats), when one is entered (perplexity is converted).
    pub target_loss: RwSignal<Option<f64>>,
    /// The calculator's compute budget in FLOP, when one is entered.
    pub compute_budget: RwSignal<Option<f64>>,
    /// The text parsed now: a table or the reason it is not one.
    pub parsed: Memo<Shared<Result<Table, ReadError>>>,
    /// The last table that parsed (kept while the text has an error).
    pub table: Memo<Option<Shared<Table>>>,
    /// Fits per group of the last good table.
    pub analysis: Memo<Option<Shared<Analysis>>>,
    /// Headers of the input and the y column, for axis titles.
    pub axis_names: Memo<(String, String)>,
}

impl AppState {
    /// The state on first open: the default example, fitted with the form that suits it.
    pub fn new() -> Self {
        let example = ExampleId::ALL[0];
        let csv = RwSignal::new(example.generate().csv);
        let form = RwSignal::new(default_form(example));
        let objective = RwSignal::new(None);
        let excluded = RwSignal::new(BTreeSet::new());
        let parsed = Memo::new(move |_| Shared::new(read_table(&csv.get(), &ReadOptions::new())));
        let table = Memo::new(move |prev: Option<&Option<Shared<Table>>>| {
            let p = parsed.get();
            match &*p {
                Ok(t) => Some(Shared::new(t.clone())),
                Err(_) => prev.cloned().flatten(),
            }
        });
        let analysis = Memo::new(move |_| {
            let t = table.get()?;
            let options = AnalysisOptions {
                form: form.get(),
                objective: objective.get(),
                excluded_lines: excluded.get(),
                ..AnalysisOptions::default()
            };
            Some(Shared::new(analyze(&t, &options)))
        });
        let axis_names = Memo::new(move |_| {
            let Some(t) = table.get() else {
                return ("x".into(), "loss".into());
            };
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
        });
        AppState {
            axis_names,
            csv,
            example: RwSignal::new(Some(example)),
            form,
            objective,
            excluded,
            x_axis: RwSignal::new(XAxis::default()),
            dark: RwSignal::new(prefers_dark()),
            target_loss: RwSignal::new(None),
            compute_budget: RwSignal::new(None),
            parsed,
            table,
            analysis,
        }
    }

    /// Loads a built-in example: its text, the form that suits it, no exclusions.
    pub fn load_example(&self, id: ExampleId) {
        self.excluded.set(BTreeSet::new());
        self.form.set(default_form(id));
        self.objective.set(None);
        self.example.set(Some(id));
        self.csv.set(id.generate().csv);
        self.x_axis.set(if id == ExampleId::ChinchillaSweep {
            XAxis::C
        } else {
            XAxis::N
        });
    }
}

impl Default for AppState {
    fn default() -> Self {
        Self::new()
    }
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
