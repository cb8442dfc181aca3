//! `scalescope fit`: read, fit each group, answer the calculator questions, print.

use scalescope_core::chinchilla::{
    compute_for_loss, optimal_allocation, Allocation, ChinchillaParams,
};
use scalescope_core::table::{Positivity, Skipped, Table};
use scalescope_core::{fit, Fit, FitMode, FitOptions, Form, InvertError, Required};

use crate::args::{FitArgs, Mode};
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
    let path = args.data.file.as_str();
    let read_err = |source| CliError::Read {
        path: path.to_string(),
        source,
    };
    let text = input::read_text(path)?;
    let mut table = input::read(&text, &args.data).map_err(read_err)?;
    let two_inputs = table.groups().iter().any(|(_, p)| p.d.is_some());
    let form = args.model.form.unwrap_or(if two_inputs {
        Form::Chinchilla
    } else {
        Form::Saturating
    });
    if form.inputs() == 1 && two_inputs {
        return Err(CliError::Usage(format!(
            "form {form} takes one input, but the table gives two (N and D); \
             choose one with --x COL, or use --form chinchilla"
        )));
    }
    let mut options = FitOptions::new(form).with_mode(match args.model.mode {
        Mode::Default => FitMode::Default,
        Mode::Grid => FitMode::Grid,
    });
    if let Some(objective) = args.model.objective {
        options = options.with_objective(objective);
    }
    let positivity = Positivity::for_fit(form, options.effective_objective());
    table.set_positivity(positivity).map_err(read_err)?;
    let target = target(args)?;
    if let Some(c) = args.calc.compute {
        positive("--compute", c)?;
    }

    let mut report = Report {
        fits: Vec::new(),
        skipped: skipped_with_headers(&table),
        warnings: table.warnings().iter().map(ToString::to_string).collect(),
    };
    if args.calc.compute.is_some() && form != Form::Chinchilla {
        report.warnings.push(format!(
            "--compute applies to chinchilla fits; ignored for form {form}"
        ));
    }
    let mut first_failure = None;
    for (group, points) in table.groups() {
        match fit(&points, &options) {
            Ok(f) => {
                let required = target.map(|t| answer(&f, t));
                let optimal = args.calc.compute.and_then(|c| {
                    ChinchillaParams::from_fit(&f).map(|p| optimal_allocation(&p, c))
                });
                report.fits.push(GroupFit {
                    group,
                    fit: f,
                    required,
                    optimal,
                });
            }
            Err(source) => {
                let label = group
                    .as_deref()
                    .map_or(String::new(), |g| format!(" group {g}"));
                report.warnings.push(format!("cannot fit{label}: {source}"));
                first_failure.get_or_insert((group, source));
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
    Ok(if args.json {
        json::render(&report)
    } else {
        text::render(&report)
    })
}

/// The target loss (and perplexity) asked for, checked.
fn target(args: &FitArgs) -> Result<Option<(f64, Option<f64>)>, CliError> {
    match (args.calc.target_loss, args.calc.target_ppl) {
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
