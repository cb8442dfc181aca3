//! `scalescope fit`: read, fit each group, answer the calculator questions, print.

use scalescope_core::against::{check_law, preset_for, AgainstError};
use scalescope_core::analysis::{analyze, Analysis, AnalysisOptions};
use scalescope_core::export::report_json;
use scalescope_core::laws::custom::CustomSpec;
use scalescope_core::presets::PresetId;
use scalescope_core::report::{Questions, Report};
use scalescope_core::shared_fit::{self, SharedError};
use scalescope_core::table::Table;
use scalescope_core::{FitMode, FitOptions, Form, Lines, Objective};

use super::bootstrap::{self, Resampling};
use crate::args::{CalcArgs, FitArgs, Mode, ModelArgs};
use crate::error::{CliError, FixError};
use crate::{input, text};

/// Run `scalescope fit` and return what to print.
pub fn run(args: &FitArgs) -> Result<String, CliError> {
    if let Some(link) = &args.link {
        return super::share::fit_link(args, link);
    }
    let (path, table) = input::table(&args.data)?;
    let mut plan = Plan::of_args(&table, &args.model)?;
    plan.bootstrap = resampling(args);
    let preset = against_preset(args, plan.options.form)?;
    plan.share = args.share.iter().map(|s| s.trim().to_string()).collect();
    let questions = Questions {
        target: target(args)?,
        compute: compute(args.calc.compute)?,
    };
    let mut report = report(path, table, &plan, questions)?;
    if let Some(preset) = preset {
        report.test_against(preset);
    }
    Ok(render(&report, args.json))
}

/// The published law `--against` names, checked to be the law `form`.
///
/// # Errors
/// [`CliError::Usage`] for an unknown name or a preset of another law.
pub fn against_preset(args: &FitArgs, form: Form) -> Result<Option<PresetId>, CliError> {
    let usage = |e: AgainstError| CliError::Usage(format!("--against: {e}"));
    args.against
        .as_deref()
        .map(|key| {
            let preset = preset_for(key, form).map_err(usage)?;
            check_law(form, preset).map_err(usage)?;
            Ok(preset)
        })
        .transpose()
}

/// The bootstrap `--bootstrap`, `--seed` and `--threads` ask for.
pub fn resampling(args: &FitArgs) -> Option<Resampling> {
    Resampling::of_args(&args.resample)
}

/// The report as JSON (exactly what the page exports) or as text.
pub fn render(report: &Report, json: bool) -> String {
    if json {
        report_json(report)
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
    /// The bootstrap to run on every fit, if any.
    pub bootstrap: Option<Resampling>,
    /// Parameters to share across the groups in a joint fit (`--share`), if any.
    pub share: Vec<String>,
}

impl Plan {
    /// The plan `--form`, `--objective`, `--fix` and `--mode` ask for, checked against the
    /// table's inputs.
    pub fn of_args(table: &Table, model: &ModelArgs) -> Result<Plan, CliError> {
        let fixed = fixes(&model.fix)?;
        let form = match &model.formula {
            Some(text) => {
                let spec = CustomSpec {
                    text: text.clone(),
                    starts: fixes(&model.start)?,
                    positive: model
                        .positive
                        .iter()
                        .map(|p| p.trim().to_string())
                        .collect(),
                }
                .with_headers(table);
                Some(Form::custom(&spec).map_err(|e| CliError::Usage(format!("--formula: {e}")))?)
            }
            None => model.form,
        };
        Plan::new(table, form, model.objective, model.mode, fixed)
    }

    /// `form` (or the default for `table`: chinchilla with N and D, saturating otherwise)
    /// with `fixed` parameters held, checked against the table's inputs.
    pub fn new(
        table: &Table,
        form: Option<Form>,
        objective: Option<Objective>,
        mode: Mode,
        fixed: Vec<(String, f64)>,
    ) -> Result<Plan, CliError> {
        let form = form.unwrap_or(Form::for_inputs(table.two_inputs(), None));
        let mut options = FitOptions::new(form).with_mode(match mode {
            Mode::Default => FitMode::Default,
            Mode::Grid => FitMode::Grid,
        });
        if let Some(objective) = objective {
            options = options.with_objective(objective);
        }
        options.fixed = fixed;
        Plan {
            options,
            per_group: true,
            excluded: Lines::new(),
            bootstrap: None,
            share: Vec::new(),
        }
        .checked(table)
    }

    /// The plan if its form takes the table's inputs.
    pub fn checked(self, table: &Table) -> Result<Plan, CliError> {
        let form = self.options.form;
        if !form.two_inputs() && table.two_inputs() {
            let two: Vec<&str> = Form::ALL
                .iter()
                .filter(|f| f.two_inputs())
                .map(|f| f.name())
                .collect();
            return Err(CliError::Usage(format!(
                "form {form} takes one input, but the table gives two (N and D); \
                 choose one with --x COL, or use a law of N and D (--form {})",
                two.join(" or ")
            )));
        }
        Ok(self)
    }
}

/// The parameters `--fix NAME=VALUE` holds, in the order given.
///
/// # Errors
/// [`CliError::Fix`] for an argument without `=`, without a name, whose value is not a
/// number, or naming a parameter already fixed.
pub fn fixes(args: &[String]) -> Result<Vec<(String, f64)>, CliError> {
    let mut fixed: Vec<(String, f64)> = Vec::new();
    for text in args {
        let bad = |reason| CliError::Fix {
            text: text.clone(),
            reason,
        };
        let (name, value) = text
            .split_once('=')
            .ok_or_else(|| bad(FixError::NoEquals))?;
        let name = name.trim();
        if name.is_empty() {
            return Err(bad(FixError::NoName));
        }
        let value = scalescope_core::float::parse_f64(value.trim())
            .ok_or_else(|| bad(FixError::NotANumber))?;
        if fixed.iter().any(|(n, _)| n == name) {
            return Err(bad(FixError::Twice(name.to_string())));
        }
        fixed.push((name.to_string(), value));
    }
    Ok(fixed)
}

/// Fits every group of `table` (read from `path`) under `plan` and answers `questions`,
/// with the plan's bootstrap and shared fit.
pub fn report(
    path: &str,
    mut table: Table,
    plan: &Plan,
    questions: Questions,
) -> Result<Report, CliError> {
    let (analysis, analysis_options) = analyse(path, &mut table, plan)?;
    let mut report = Report::new(Some(&table), &analysis, questions);
    if let Some(resampling) = plan.bootstrap {
        bootstrap::attach(
            &mut report,
            &analysis,
            &analysis_options.fit_options(),
            resampling,
            questions,
        );
    }
    if report.fits.is_empty() {
        if let Some((group, source)) = report.failures.first().cloned() {
            return Err(CliError::Fit {
                path: path.to_string(),
                group,
                source,
            });
        }
    }
    if !plan.share.is_empty() {
        let names: Vec<&str> = plan.share.iter().map(String::as_str).collect();
        report.shared = match shared_fit::of_analysis(&analysis, &names) {
            // What the data decide (no degrees of freedom left, a joint fit that failed)
            // is reported beside the fits; a request that cannot be met is an error.
            Err(e @ (SharedError::NoDof { .. } | SharedError::Failed { .. })) => Some(Err(e)),
            Err(e) => return Err(CliError::Share(e)),
            Ok(s) => Some(Ok(s)),
        };
    }
    Ok(report)
}

/// Fits every group of `table` (read from `path`) under `plan`, after telling the reader
/// which values the law and objective take the logarithm of.
pub fn analyse(
    path: &str,
    table: &mut Table,
    plan: &Plan,
) -> Result<(Analysis, AnalysisOptions), CliError> {
    let form = plan.options.form;
    let positivity = form.positivity(plan.options.effective_objective());
    table
        .set_positivity(positivity)
        .map_err(|source| CliError::Read {
            path: path.to_string(),
            source,
        })?;
    let analysis_options = AnalysisOptions {
        form,
        objective: plan.options.objective,
        mode: plan.options.mode,
        per_group: plan.per_group,
        excluded_lines: plan.excluded.clone(),
        fixed: plan.options.fixed.clone(),
    };
    let analysis = analyze(table, &analysis_options);
    Ok((analysis, analysis_options))
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
