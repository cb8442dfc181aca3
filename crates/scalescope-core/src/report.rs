//! What a set of fits answers: every fitted group with the calculator's questions (a target
//! loss, a compute budget) answered through [`Model`], the rows the reader left out, and the
//! warnings. It is the one value the CLI prints (as text, or as JSON through
//! [`crate::export::report_json`]) and the page exports as JSON, so both say the same.
//!
//! ```
//! use scalescope_core::analysis::{analyze, AnalysisOptions};
//! use scalescope_core::report::{Questions, Reach, Report};
//! use scalescope_core::table::{read_table, ReadOptions};
//! use scalescope_core::Form;
//!
//! let text = "params,loss\n1e6,4.0\n1e7,3.3\n1e8,2.7\n1e9,2.2\n";
//! let table = read_table(text, &ReadOptions::new())?;
//! let options = AnalysisOptions { form: Form::Power, ..AnalysisOptions::default() };
//! let analysis = analyze(&table, &options);
//! let questions = Questions { target: Some((2.0, None)), compute: None };
//! let report = Report::new(Some(&table), &analysis, questions);
//! let answer = report.fits[0].required.as_ref().map(|r| r.as_ref().map(|a| &a.reach));
//! assert!(matches!(answer, Some(Ok(Reach::Input(r))) if r.x > 1e9));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::against::{against, Against, AgainstError};
use crate::analysis::Analysis;
use crate::bootstrap::{Bootstrap, BootstrapError, Targets};
use crate::chinchilla::{Allocation, AllocationCi};
use crate::presets::{Model, PresetId};
use crate::shared_fit::{SharedError, SharedFit};
use crate::table::{Skipped, Table};
use crate::{Fit, FitError, Form, InvertError, Required};

/// The calculator questions answered for every fit.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Questions {
    /// Target loss in nats, and the perplexity when the target was given as one.
    pub target: Option<(f64, Option<f64>)>,
    /// Compute budget in FLOP (answered for laws of N and D, which have a compute-optimal
    /// frontier).
    pub compute: Option<f64>,
}

impl Questions {
    /// The questions as the bootstrap reads them off every refit (no band).
    pub fn bootstrap_targets(&self) -> Targets {
        Targets {
            band_at: Vec::new(),
            target: self.target.map(|(loss, _)| loss),
            compute: self.compute,
        }
    }
}

/// Every fit with its answers, the rows left out and the warnings.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    /// One entry per group that could be fitted, in table order.
    pub fits: Vec<GroupReport>,
    /// The groups that could not be fitted, and why (also listed in `warnings`).
    pub failures: Vec<(Option<String>, FitError)>,
    /// Rows the reader did not use.
    pub skipped: Vec<SkippedRow>,
    /// The reader's conversions and guesses, questions that do not apply to a law, and the
    /// groups that could not be fitted, in that order.
    pub warnings: Vec<String>,
    /// The joint fit with parameters shared across the groups and its F test against the
    /// separate fits in `fits`, when one was asked for ([`crate::shared_fit`]; the CLI's
    /// `--share alpha`), or why there is none.
    pub shared: Option<Result<SharedFit, SharedError>>,
}

/// A row the reader did not use, with the header of the offending column.
#[derive(Clone, Debug, PartialEq)]
pub struct SkippedRow {
    /// The row, its line and why.
    pub row: Skipped,
    /// The header of the column at fault, when one is and it has a header.
    pub column: Option<String>,
}

/// One group's fit and the answers to the questions.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupReport {
    /// The group's value, `None` without a group column.
    pub group: Option<String>,
    /// The fit.
    pub fit: Fit,
    /// What the target takes, or why it cannot be reached; `None` when no target was asked.
    pub required: Option<Result<Answer, InvertError>>,
    /// The compute-optimal split at the budget with its 95 % intervals, or why there is
    /// none; `None` when no budget was asked or the law has no frontier.
    pub optimal: Option<Result<Split, InvertError>>,
    /// The bootstrap's standard errors and intervals, when one was run
    /// ([`crate::bootstrap`]; the CLI's `--bootstrap B`), or why it has none.
    pub bootstrap: Option<Result<Bootstrap, BootstrapError>>,
    /// The test against a published law, when one was asked ([`Report::test_against`];
    /// the CLI's `--against PRESET`), or why there is none.
    pub against: Option<Result<Against, AgainstError>>,
}

/// What reaching a target loss takes.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    /// The target loss.
    pub target_loss: f64,
    /// The target perplexity, when it was given that way.
    pub target_ppl: Option<f64>,
    /// The input, or the compute-optimal allocation, that reaches it.
    pub reach: Reach,
}

/// How a target is reached: by a one-input law's input, or along a law of N and D's
/// compute-optimal frontier.
#[derive(Clone, Debug, PartialEq)]
pub enum Reach {
    /// The input needed, with its 95 % interval ([`Model::required`]).
    Input(Required),
    /// The least compute that reaches the target, and its split, with 95 % intervals
    /// ([`Model::compute_for_loss`], [`Model::compute_for_loss_ci95`]).
    Allocation(Split),
}

/// A point on the compute-optimal frontier with the fit's analytic 95 % intervals.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    /// The allocation.
    pub at: Allocation,
    /// Its 95 % intervals; `None` without a covariance. For a target, the compute's upper
    /// bound is `+∞` when the target may never be reached at this confidence.
    pub ci95: Option<AllocationCi>,
}

impl Split {
    /// Whether the compute's upper bound is `+∞` (the target may never be reached at this
    /// confidence).
    pub fn unbounded(&self) -> bool {
        self.ci95.is_some_and(|c| c.compute.1 == f64::INFINITY)
    }
}

impl GroupReport {
    /// The fit of `group` with the answers to `questions`.
    pub fn new(group: Option<String>, fit: Fit, questions: Questions) -> Self {
        let model = Model::fitted(&fit);
        let required = questions
            .target
            .map(|(target_loss, target_ppl)| answer(&model, target_loss, target_ppl));
        let optimal = questions.compute.filter(|_| model.has_frontier()).map(|c| {
            Ok(Split {
                at: model.optimal_allocation(c)?,
                ci95: model.optimal_ci95(c)?,
            })
        });
        GroupReport {
            group,
            fit,
            required,
            optimal,
            bootstrap: None,
            against: None,
        }
    }
}

/// What reaching `target_loss` takes under `model`: along the frontier for a law of N and
/// D, the input for a one-input law.
fn answer(model: &Model, target_loss: f64, target_ppl: Option<f64>) -> Result<Answer, InvertError> {
    let reach = if model.has_frontier() {
        Reach::Allocation(Split {
            at: model.compute_for_loss(target_loss)?,
            ci95: model.compute_for_loss_ci95(target_loss)?,
        })
    } else {
        Reach::Input(model.required(target_loss)?)
    };
    Ok(Answer {
        target_loss,
        target_ppl,
        reach,
    })
}

impl Report {
    /// The fits of `analysis` with the answers to `questions`. `table` (the table the
    /// analysis fitted) gives the skipped rows and the reader's warnings; without it (a
    /// fit-only link) there are none.
    pub fn new(table: Option<&Table>, analysis: &Analysis, questions: Questions) -> Self {
        let mut report = Report {
            fits: Vec::new(),
            failures: Vec::new(),
            skipped: table.map(skipped_rows).unwrap_or_default(),
            warnings: table
                .map(|t| t.warnings().iter().map(ToString::to_string).collect())
                .unwrap_or_default(),
            shared: None,
        };
        for g in &analysis.groups {
            match &g.fit {
                Ok(f) => report
                    .fits
                    .push(GroupReport::new(g.name.clone(), f.clone(), questions)),
                Err(e) => report.failures.push((g.name.clone(), e.clone())),
            }
        }
        report.note_questions(questions);
        report
    }

    /// Fits known without their data (a fit-only link) with the answers to `questions`.
    pub fn of_fits(
        fits: impl IntoIterator<Item = (Option<String>, Fit)>,
        questions: Questions,
    ) -> Self {
        let mut report = Report {
            fits: fits
                .into_iter()
                .map(|(group, f)| GroupReport::new(group, f, questions))
                .collect(),
            failures: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
            shared: None,
        };
        report.note_questions(questions);
        report
    }

    /// Tests every fit against `preset` ([`crate::against`]): with the covariance of its
    /// bootstrap's refits when one ran (attach the bootstrap first), the fit's own otherwise.
    pub fn test_against(&mut self, preset: PresetId) {
        for g in &mut self.fits {
            let boot = match &g.bootstrap {
                Some(Ok(b)) => Some(&b.covariance),
                _ => None,
            };
            g.against = Some(against(&g.fit, preset, boot));
        }
    }

    /// Warns of a budget asked of a law without a frontier, then lists the failures.
    fn note_questions(&mut self, questions: Questions) {
        if questions.compute.is_some() {
            let mut without: Vec<Form> = Vec::new();
            for g in &self.fits {
                let form = g.fit.form;
                if !Model::fitted(&g.fit).has_frontier() && !without.contains(&form) {
                    without.push(form);
                }
            }
            for form in without {
                self.warnings.push(format!(
                    "a compute budget is answered by a law of N and D (a compute-optimal \
                     frontier); not for the {form} law"
                ));
            }
        }
        for (group, e) in &self.failures {
            let label = group
                .as_deref()
                .map_or(String::new(), |n| format!(" group {n}"));
            self.warnings.push(format!("cannot fit{label}: {e}"));
        }
    }
}

/// The rows `table`'s reader left out, each with the header of the column at fault.
pub fn skipped_rows(table: &Table) -> Vec<SkippedRow> {
    table
        .skipped()
        .iter()
        .map(|s| SkippedRow {
            row: s.clone(),
            column: s.column.and_then(|j| table.headers().get(j).cloned()),
        })
        .collect()
}
