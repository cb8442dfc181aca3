//! `scalescope fit`: read, fit each group, answer the calculator questions, print.

use scalescope_core::analysis::{analyze, AnalysisOptions};
use scalescope_core::chinchilla::{
    compute_for_loss, optimal_allocation, Allocation, ChinchillaParams,
};
use scalescope_core::table::{Skipped, Table};
use scalescope_core::{Fit, FitMode, FitOptions, Form, InvertError, Lines, Objective, Required};

use crate::args::{CalcArgs, FitArgs, Mode};
use crate::error::CliError;
use crate::{input, json, text};

/// Everything `fit` found, before it is printed as text or JSON.
pub struct Report {
    /// One entry per group that could be fitted, in table order.
    pub fits: Vec<GroupFit>,
    /// Rows that were not used, with the header of the offending column.
    pub skipped: Vec<(Skipped, Option<String>)>,
    /// Conversions, guesses, and groups that could not be fitted.
    pub warnings: Vec<String>,
}

/// The fit of one group and its calculator answers.
pub struct GroupFit {
    /// The group's value, `None` without a group column.
    pub group: Option<String>,
    /// The fit.
    pub fit: Fit,
    /// The answer to `--target-loss`/`--target-ppl`, or why there is none.
    pub required: Option<Result<Answer, InvertError>>,
    /// The answer to `--compute` for chinchilla fits, or why there is none.
    pub optimal: Option<Result<Allocation, InvertError>>,
}

/// What reaching a target takes.
pub struct Answer {
    /// The target loss.
    pub target_loss: f64,
    /// The target perplexity, when it was given that way.
    pub target_ppl: Option<f64>,
    /// For one-input forms: the input needed, with its 95 % interval.
    pub x: Option<Required>,
    /// For chinchilla: the compute-optimal allocation reaching the target.
    pub allocation: Option<Allocation>,
}

/// Run `scalescope fit` and return what to print.
pub fn run(args: &FitArgs) -> Result<String, CliError> {
    if let Some(link) = &args.link {
        return super::share::fit_link(args, link);
    }
    let path = args.data.file.as_deref().unwrap_or("-");
    let text = input::read_text(path)?;
    let table = input::read(&text, &args.data).map_err(|source| CliError::Read {
        path: path.to_string(),
        source,
    })?;
    let plan = Plan::new(
        &table,
        args.model.form,
        args.model.objective,
        args.model.mode,
    )?;
    let questions = Questions {
        target: target(args)?,
        compute: compute(args.calc.compute)?,
    };
    let report = report(path, table, &plan, questions)?;
    Ok(render(&report, args.json))
}

/// The report as JSON or as text.
pub fn render(report: &Report, json: bool) -> String {
    if json {
        json::render(report)
    } else {
        text::render(report)
    }
}

/// What to fit, whether asked for by options or by a share link.
pub struct Plan {
    /// The law and how to fit it.
    pub options: FitOptions,
    /// Fit each group separately.
    pub per_group: bool,
    /// Source lines left out of the fits.
    pub excluded: Lines,
}

impl Plan {
    /// `form` (or the default for `table`: chinchilla with N and D, saturating otherwise),
    /// checked against the table's inputs.
    pub fn new(
        table: &Table,
        form: Option<Form>,
        objective: Option<Objective>,
        mode: Mode,
    ) -> Result<Plan, CliError> {
        let form = form.unwrap_or(if two_inputs(table) {
            Form::Chinchilla
        } else {
            Form::Saturating
        });
        let mut options = FitOptions::new(form).with_mode(match mode {
            Mode::Default => FitMode::Default,
            Mode::Grid => FitMode::Grid,
        });
        if let Some(objective) = objective {
            options = options.with_objective(objective);
        }
        Plan {
            options,
            per_group: true,
            excluded: Lines::new(),
        }
        .checked(table)
    }

    /// The plan if its form takes the table's inputs.
    pub fn checked(self, table: &Table) -> Result<Plan, CliError> {
        let form = self.options.form;
        if !form.two_inputs() && two_inputs(table) {
            return Err(CliError::Usage(format!(
                "form {form} takes one input, but the table gives two (N and D); \
                 choose one with --x COL, or use a law of N and D (--form chinchilla or \
                 kaplan-nd)"
            )));
        }
        Ok(self)
    }
}

fn two_inputs(table: &Table) -> bool {
    table.groups().iter().any(|(_, p)| p.d.is_some())
}

/// The calculator questions: a target (loss, and perplexity when given so) and a budget.
#[derive(Clone, Copy, Debug, Default)]
pub struct Questions {
    /// Target loss and perplexity.
    pub target: Option<(f64, Option<f64>)>,
    /// Compute budget in FLOP.
    pub compute: Option<f64>,
}

/// Fits every group of `table` (read from `path`) under `plan` and answers `questions`.
pub fn report(
    path: &str,
    mut table: Table,
    plan: &Plan,
    questions: Questions,
) -> Result<Report, CliError> {
    let form = plan.options.form;
    let positivity = form.positivity(plan.options.effective_objective());
    table
        .set_positivity(positivity)
        .map_err(|source| CliError::Read {
            path: path.to_string(),
            source,
        })?;
    let mut report = Report {
        fits: Vec::new(),
        skipped: skipped_with_headers(&table),
        warnings: table.warnings().iter().map(ToString::to_string).collect(),
    };
    if questions.compute.is_some() && form != Form::Chinchilla {
        report.warnings.push(format!(
            "--compute applies to chinchilla fits; ignored for form {form}"
        ));
    }
    let analysis = analyze(
        &table,
        &AnalysisOptions {
            form,
            objective: plan.options.objective,
            mode: plan.options.mode,
            per_group: plan.per_group,
            excluded_lines: plan.excluded.clone(),
            fixed: plan.options.fixed.clone(),
        },
    );
    let mut first_failure = None;
    for g in analysis.groups {
        match g.fit {
            Ok(f) => report.fits.push(answered(g.name, f, questions)),
            Err(source) => {
                let label = g
                    .name
                    .as_deref()
                    .map_or(String::new(), |g| format!(" group {g}"));
                report.warnings.push(format!("cannot fit{label}: {source}"));
                first_failure.get_or_insert((g.name, source));
            }
        }
    }
    if report.fits.is_empty() {
        if let Some((group, source)) = first_failure {
            return Err(CliError::Fit {
                path: path.to_string(),
                group,
                source,
            });
        }
    }
    Ok(report)
}

/// A group's fit with the calculator's answers.
pub fn answered(group: Option<String>, f: Fit, questions: Questions) -> GroupFit {
    let required = questions.target.map(|t| answer(&f, t));
    let optimal = questions
        .compute
        .and_then(|c| ChinchillaParams::from_fit(&f).map(|p| optimal_allocation(&p, c)));
    GroupFit {
        group,
        fit: f,
        required,
        optimal,
    }
}

/// `--compute`, checked.
pub fn compute(c: Option<f64>) -> Result<Option<f64>, CliError> {
    if let Some(c) = c {
        positive("--compute", c)?;
    }
    Ok(c)
}

/// The target loss (and perplexity) asked for, checked.
fn target(args: &FitArgs) -> Result<Option<(f64, Option<f64>)>, CliError> {
    target_of(&args.calc)
}

/// The target loss (and perplexity) given by `--target-loss`/`--target-ppl`, checked.
pub fn target_of(calc: &CalcArgs) -> Result<Option<(f64, Option<f64>)>, CliError> {
    match (calc.target_loss, calc.target_ppl) {
        (Some(loss), _) => {
            positive("--target-loss", loss)?;
            Ok(Some((loss, None)))
        }
        (None, Some(ppl)) => {
            positive("--target-ppl", ppl)?;
            Ok(Some((scalescope_core::units::ppl_to_loss(ppl), Some(ppl))))
        }
        (None, None) => Ok(None),
    }
}

fn positive(name: &str, value: f64) -> Result<(), CliError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(CliError::Usage(format!(
            "{name} {value} must be a positive number"
        )))
    }
}

/// What reaching the target takes under `fit`.
fn answer(fit: &Fit, (target_loss, target_ppl): (f64, Option<f64>)) -> Result<Answer, InvertError> {
    let mut answer = Answer {
        target_loss,
        target_ppl,
        x: None,
        allocation: None,
    };
    match ChinchillaParams::from_fit(fit) {
        Some(p) => answer.allocation = Some(compute_for_loss(&p, target_loss)?),
        None => answer.x = Some(fit.required_x(target_loss)?),
    }
    Ok(answer)
}

fn skipped_with_headers(table: &Table) -> Vec<(Skipped, Option<String>)> {
    table
        .skipped()
        .iter()
        .map(|s| {
            let header = s.column.and_then(|j| table.headers().get(j).cloned());
            (s.clone(), header)
        })
        .collect()
}
