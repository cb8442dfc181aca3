//! `scalescope compare`: fit two groups as `fit` would, then the compute multiplier of the
//! second against the first at a loss and over a range ([`scalescope_core::compare`]);
//! with `--bootstrap B`, its percentile interval from B pairs of refits
//! ([`scalescope_core::compare::bootstrap`]) split over threads like `fit`'s bootstrap.

use std::fmt::Write;

use scalescope_core::compare::bootstrap::{self as boot, Group, Intervals, MultiplierCi};
use scalescope_core::compare::{self, Comparison};
use scalescope_core::export::comparison_json;
use scalescope_core::format::{scale, sig};
use scalescope_core::presets::Model;
use scalescope_core::table::Role;
use scalescope_core::{Fit, Points};

use super::bootstrap::{chunked, Resampling};
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
    let (analysis, analysis_options) = analyse(path, &mut table, &plan)?;
    let find = |name: &str| -> Result<(&Fit, Points), CliError> {
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
            Ok(f) => Ok((f, g.fitted_points())),
            Err(e) => Err(CliError::Fit {
                path: path.to_string(),
                group: g.name.clone(),
                source: e.clone(),
            }),
        }
    };
    let (fa, pa) = find(baseline)?;
    let (fb, pb) = find(other)?;
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
        _ => compare::loss_range(&pa.y, &pb.y, args.points as usize),
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
    let bootstrap = match Resampling::of_args(&args.resample) {
        Some(plan) => {
            let (ga, gb) = (
                Group {
                    points: &pa,
                    fit: fa,
                },
                Group {
                    points: &pb,
                    fit: fb,
                },
            );
            let options = analysis_options.fit_options();
            let pairs = chunked(plan, |range| {
                boot::refit_pairs(ga, gb, &options, plan.seed, range)
            })
            .map_err(|e| CliError::Usage(format!("--bootstrap: {e}")))?;
            Some(Intervals {
                seed: plan.seed,
                at: boot::interval(fa, fb, &pairs, args.at_loss),
                curve: losses
                    .iter()
                    .map(|&l| boot::interval(fa, fb, &pairs, l))
                    .collect(),
            })
        }
        None => None,
    };
    let comparison = Comparison {
        baseline: Some(baseline.trim().to_string()),
        other: Some(other.trim().to_string()),
        of: if in_compute { "compute" } else { "x" }.to_string(),
        at,
        curve: compare::curve(&ma, &mb, &losses),
        bootstrap,
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
    if let Some(boot) = &c.bootstrap {
        let at = &boot.at;
        let _ = match &at.ci95 {
            Ok(_) => writeln!(
                out,
                "  bootstrap: 95 % {} ({} resamples of each group, {} used, seed {}{})",
                bootstrap_interval(at),
                at.resamples,
                at.used(),
                boot.seed,
                counts(at, &a, &b)
            ),
            Err(e) => writeln!(out, "  bootstrap (seed {}): {e}", boot.seed),
        };
    }
    if !c.curve.is_empty() {
        let boot = c.bootstrap.as_ref();
        let _ = write!(
            out,
            "\n  {:>10} {:>12} {:>26}",
            "loss", "multiplier", "95 % interval"
        );
        if boot.is_some() {
            let _ = write!(out, " {:>26}", "bootstrap 95 %");
        }
        out.push('\n');
        for (k, r) in c.curve.iter().enumerate() {
            match r {
                Ok(m) => {
                    let _ = write!(
                        out,
                        "  {:>10} {:>12} {:>26}",
                        sig(m.at_loss, 5),
                        sig(m.multiplier, 4),
                        format!("[{}, {}]", sig(m.ci95.0, 3), sig(m.ci95.1, 3))
                    );
                    if let Some(b) = boot {
                        let ci = b.curve.get(k).map_or("-".into(), bootstrap_interval);
                        let _ = write!(out, " {ci:>26}");
                    }
                    out.push('\n');
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

/// A bootstrap interval as `[lo, hi]` (`∞` where a group may never reach the loss), or
/// `none` without one.
fn bootstrap_interval(m: &MultiplierCi) -> String {
    let end = |v: f64| {
        if v == f64::INFINITY {
            "∞".to_string()
        } else {
            sig(v, 3)
        }
    };
    match m.ci95 {
        Ok((lo, hi)) => format!("[{}, {}]", end(lo), end(hi)),
        Err(_) => "none".to_string(),
    }
}

/// What the bootstrap at the loss could not use or found unreachable, as `; …` clauses
/// (empty when every pair gave a finite multiplier).
fn counts(m: &MultiplierCi, a: &str, b: &str) -> String {
    let mut out = String::new();
    if m.failed > 0 {
        let _ = write!(out, "; {} could not be refitted or inverted", m.failed);
    }
    for (n, who) in [
        (m.baseline_unreachable, a),
        (m.other_unreachable, b),
        (m.neither, "neither group"),
    ] {
        if n > 0 {
            let _ = write!(out, "; in {n} {who} never reaches the loss");
        }
    }
    out
}
