//! `scalescope compare`: fit two groups as `fit` would, then the compute multiplier of the
//! second against the first at a loss and over a range ([`scalescope_core::compare`]).

use std::fmt::Write;

use scalescope_core::compare::{self, Comparison};
use scalescope_core::export::comparison_json;
use scalescope_core::format::{scale, sig};
use scalescope_core::presets::Model;
use scalescope_core::table::Role;
use scalescope_core::Fit;

use super::fit::{analyse, Plan};
use crate::args::CompareArgs;
use crate::error::CliError;
use crate::{input, text};

/// Run `scalescope compare` and return what to print.
pub fn run(args: &CompareArgs) -> Result<String, CliError> {
    let [baseline, other] = args.groups.as_slice() else {
        return Err(CliError::Usage(
            "--groups needs two groups, the baseline first: --groups A,B".into(),
        ));
    };
    if !(args.at_loss.is_finite() && args.at_loss > 0.0) {
        return Err(CliError::Usage(format!(
            "--at-loss {} must be a positive number",
            args.at_loss
        )));
    }
    let (path, mut table) = input::table(&args.data)?;
    let plan = Plan::of_args(&table, &args.model)?;
    let (analysis, _) = analyse(path, &mut table, &plan)?;
    let find = |name: &str| -> Result<(&Fit, Vec<f64>), CliError> {
        let Some(g) = analysis
            .groups
            .iter()
            .find(|g| g.name.as_deref() == Some(name.trim()))
        else {
            let names: Vec<String> = analysis
                .groups
                .iter()
                .filter_map(|g| g.name.clone())
                .collect();
            return Err(CliError::Usage(if names.is_empty() {
                "the table has no group column: name one with --group COL".to_string()
            } else {
                format!(
                    "no group '{}' in the table (its groups: {})",
                    name.trim(),
                    names.join(", ")
                )
            }));
        };
        match &g.fit {
            Ok(f) => Ok((f, g.fitted_points().y)),
            Err(e) => Err(CliError::Fit {
                path: path.to_string(),
                group: g.name.clone(),
                source: e.clone(),
            }),
        }
    };
    let (fa, ya) = find(baseline)?;
    let (fb, yb) = find(other)?;
    let (ma, mb) = (Model::fitted(fa), Model::fitted(fb));
    let at =
        compare::multiplier(&ma, &mb, args.at_loss).map_err(|e| CliError::Usage(e.to_string()))?;
    let losses = match args.loss_range.as_slice() {
        [lo, hi] => {
            let n = args.points as usize;
            (0..n)
                .map(|i| match n {
                    1 => (lo + hi) / 2.0,
                    _ => lo + (hi - lo) * i as f64 / (n - 1) as f64,
                })
                .collect()
        }
        [_] => {
            return Err(CliError::Usage(
                "--loss-range needs two losses: --loss-range LO,HI".into(),
            ))
        }
        _ => compare::loss_range(&ya, &yb, args.points as usize),
    };
    let roles = table.roles();
    let in_compute = ma.has_frontier()
        || (roles.contains(&Role::C)
            && !roles
                .iter()
                .any(|r| matches!(r, Role::X | Role::N | Role::D)));
    let mut warnings = Vec::new();
    if !in_compute {
        warnings.push(
            "the law's input is not a compute column (C): the multiplier is the ratio of the \
             inputs that reach the loss"
                .to_string(),
        );
    }
    let comparison = Comparison {
        baseline: Some(baseline.trim().to_string()),
        other: Some(other.trim().to_string()),
        of: if in_compute { "compute" } else { "x" }.to_string(),
        at,
        curve: compare::curve(&ma, &mb, &losses),
        warnings,
    };
    Ok(if args.json {
        comparison_json(&comparison)
    } else {
        render(&comparison)
    })
}

/// The comparison for a terminal.
fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let name = |n: &Option<String>| text::printable(n.as_deref().unwrap_or("?"));
    let (a, b) = (name(&c.baseline), name(&c.other));
    let m = &c.at;
    let _ = writeln!(
        out,
        "{b} against {a} at loss {}: {}× the {} (95 % [{}, {}])",
        sig(m.at_loss, 5),
        sig(m.multiplier, 4),
        c.of,
        sig(m.ci95.0, 3),
        sig(m.ci95.1, 3)
    );
    let _ = writeln!(
        out,
        "  {a} needs {}, {b} needs {}",
        scale(m.baseline, 4),
        scale(m.other, 4)
    );
    if !c.curve.is_empty() {
        let _ = writeln!(
            out,
            "\n  {:>10} {:>12} {:>26}",
            "loss", "multiplier", "95 % interval"
        );
        for r in &c.curve {
            match r {
                Ok(m) => {
                    let _ = writeln!(
                        out,
                        "  {:>10} {:>12} {:>26}",
                        sig(m.at_loss, 5),
                        sig(m.multiplier, 4),
                        format!("[{}, {}]", sig(m.ci95.0, 3), sig(m.ci95.1, 3))
                    );
                }
                Err(e) => {
                    let _ = writeln!(out, "  {}", text::printable(&e.to_string()));
                }
            }
        }
    }
    if !c.warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for w in &c.warnings {
            let _ = writeln!(out, "  {}", text::printable(w));
        }
    }
    out
}
