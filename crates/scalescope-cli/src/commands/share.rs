//! `scalescope share`: a table and fit options as a share link; and `scalescope fit
//! --link`: the state a link carries, fitted and printed like `fit` prints a file.

use scalescope_core::share::{self, fit_only, shared_fits, Axis, FullState, Link, Target, View};
use scalescope_core::table::{read_table, ColumnRef, ReadOptions, Role, Table};
use scalescope_core::units::ppl_to_loss;
use scalescope_core::FitMode;

use scalescope_core::report::{Questions, Report};

use super::fit::{against_preset, compute, render, report, resampling, target_of, Plan};
use crate::args::{FitArgs, Mode, ShareArgs};
use crate::error::CliError;
use crate::input;

/// Where `cargo xtask serve` serves the page: the default base of a link.
const LOCAL_PAGE: &str = "http://127.0.0.1:8080/";

/// Run `scalescope share` and return the link (with a final newline).
pub fn run(args: &ShareArgs) -> Result<String, CliError> {
    let path = args.data.file.as_deref().unwrap_or("-");
    let read_err = |source| CliError::Read {
        path: path.to_string(),
        source,
    };
    let text = input::read_text(path)?;
    let options = input::read_options(&args.data);
    let table = read_table(&text, &options).map_err(read_err)?;
    let roles = column_roles(&table, &options)?;
    let plan = Plan::of_args(&table, &args.model)?;
    let target = target_of(&args.calc)?.map(|(loss, ppl)| match ppl {
        Some(p) => Target::Perplexity(p),
        None => Target::Loss(loss),
    });
    let view = View {
        x_axis: Axis::N,
        target,
        compute_budget: compute(args.calc.compute)?,
        theme: None,
        ..View::default()
    };
    let link = if args.fit_only {
        let questions = Questions::default();
        let x_name = input_name(&table);
        let fitted = report(path, table, &plan, questions)?;
        Link::FitOnly(fit_only(
            &x_name,
            fitted.fits.iter().map(|g| (g.group.as_deref(), &g.fit)),
            view,
        ))
    } else {
        // A link is read back with detection: when the user overrode the delimiter or the
        // header, carry the table as CSV (same rows, same indices) with every column's role.
        let (csv, roles) = if args.data.delimiter.is_some() || args.data.no_header {
            let all = table.roles().iter().copied().enumerate().collect();
            (table.to_csv(), all)
        } else {
            (text, roles)
        };
        Link::Full(FullState {
            csv,
            example: None,
            roles,
            excluded: plan.excluded.clone(),
            form: plan.options.form,
            objective: plan.options.objective,
            mode: plan.options.mode,
            per_group: plan.per_group,
            view,
            fixed: plan.options.fixed.clone(),
        })
    };
    let base = args
        .base
        .clone()
        .or_else(|| std::env::var("SCALESCOPE_URL").ok())
        .unwrap_or_else(|| LOCAL_PAGE.to_string());
    Ok(format!("{}\n", share::url(&base, &link)))
}

/// The roles `--x`, `--y` and `--group` chose, by column index (as a link stores them).
fn column_roles(table: &Table, options: &ReadOptions) -> Result<Vec<(usize, Role)>, CliError> {
    options
        .roles
        .iter()
        .map(|(column, role)| {
            let index = match column {
                ColumnRef::Index(i) => Some(*i),
                ColumnRef::Name(name) => table
                    .headers()
                    .iter()
                    .position(|h| h.trim().eq_ignore_ascii_case(name.trim())),
            };
            index
                .map(|i| (i, *role))
                .ok_or_else(|| CliError::Usage(format!("no column {column} in the table")))
        })
        .collect()
}

/// The header of the table's (first) input column, for formulas.
fn input_name(table: &Table) -> String {
    table
        .roles()
        .iter()
        .position(|r| r.is_input())
        .and_then(|i| table.headers().get(i).cloned())
        .unwrap_or_else(|| "x".to_string())
}

/// `scalescope fit --link LINK`: fits a full link's table as the page does, or reports a
/// fit-only link's laws; calculator options given on the command line replace the link's.
pub fn fit_link(args: &FitArgs, link: &str) -> Result<String, CliError> {
    let link = share::decode(link).map_err(|e| CliError::Usage(format!("--link: {e}")))?;
    let report = match link {
        Link::Full(state) => {
            let questions = questions(args, &state.view)?;
            let options = state.roles.iter().fold(ReadOptions::new(), |o, (i, role)| {
                o.with_role(ColumnRef::Index(*i), *role)
            });
            let path = "the link";
            let table = read_table(&state.csv, &options).map_err(|source| CliError::Read {
                path: path.to_string(),
                source,
            })?;
            let mode = match state.mode {
                FitMode::Default => Mode::Default,
                FitMode::Grid => Mode::Grid,
            };
            let mut plan = Plan::new(&table, Some(state.form), state.objective, mode, state.fixed)?;
            plan.per_group = state.per_group;
            plan.excluded = state.excluded;
            plan.bootstrap = resampling(args);
            let preset = against_preset(args, plan.options.form)?;
            let mut report = report(path, table, &plan, questions)?;
            if let Some(preset) = preset {
                report.test_against(preset);
            }
            report
        }
        Link::FitOnly(shared) => {
            let questions = questions(args, &shared.view)?;
            let mut report = Report::of_fits(shared_fits(&shared), questions);
            if let Some(form) = report.fits.first().map(|g| g.fit.form) {
                if let Some(preset) = against_preset(args, form)? {
                    report.test_against(preset);
                }
            }
            report.warnings.insert(
                0,
                "a fit-only link: the laws as shared, without their data".into(),
            );
            if args.resample.bootstrap.is_some() {
                report.warnings.insert(
                    1,
                    "--bootstrap resamples the data; a fit-only link has none".into(),
                );
            }
            report
        }
    };
    Ok(render(&report, args.json))
}

/// The calculator questions: the command line's, or else the link's.
fn questions(args: &FitArgs, view: &View) -> Result<Questions, CliError> {
    let target = match target_of(&args.calc)? {
        Some(t) => Some(t),
        None => view.target.map(|t| match t {
            Target::Loss(l) => (l, None),
            Target::Perplexity(p) => (ppl_to_loss(p), Some(p)),
        }),
    };
    Ok(Questions {
        target,
        compute: compute(args.calc.compute)?.or(view.compute_budget),
    })
}
