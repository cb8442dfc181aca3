//! The fit as JSON: the one writer of the shape `scalescope fit --json` prints and the page's
//! JSON export downloads, from a [`Report`]. Written by hand (the core has no serde); numbers
//! are the shortest text that reads back to the same `f64`, non-finite ones `null`.
//!
//! Per fit: `group`, `form`, `objective` (as `--objective` takes it, e.g. `asym-log:10`),
//! `n`, then per parameter `params`, `stderr`, `se_method` (`ols` or `sandwich`), `ci95` and `fixed` (whether it was held
//! rather than fitted), `metrics`, `converged`, `termination`, `warnings`, and when asked
//! `required` (the input, or the compute-optimal allocation, reaching the target, with the
//! analytic 95 % intervals `x_ci95`, or `compute_ci95`, `N_ci95` and `D_ci95`, and
//! `unbounded`: an upper bound of `+∞` — the target may never be reached at this
//! confidence — is written `null` with `"unbounded": true`) and `optimal` (the
//! compute-optimal split at the budget, with `N_ci95`, `D_ci95`, `loss_ci95` and
//! `tokens_per_param_ci95`), and when a bootstrap ran
//! `bootstrap` (`resamples`, `failed`, per parameter `se` and percentile `ci95`,
//! `required_ci95` and `optimal_ci95`, `null` when not asked), and when a published law
//! was asked `against` (`law`, `chi2`, `dof`, `p`, `covariance`: `analytic` or
//! `bootstrap`, `params` compared; or `error`).

use super::Questions;
use crate::analysis::Analysis;
use crate::bootstrap::{Bootstrap, Reach as BootReach};
use crate::chinchilla::{Allocation, AllocationCi};
use crate::compare::bootstrap::MultiplierCi;
use crate::compare::{CompareError, Comparison, Multiplier};
use crate::isoflop::{reader_warnings, Isoflop};
use crate::report::{skipped_rows, Answer, GroupReport, Reach, Report, SkippedRow, Split};
use crate::shared_fit::SharedFit;
use crate::table::Table;
use crate::InvertError;
use std::fmt::Write as _;

/// A JSON value, written by hand (the core has no serde).
pub(super) enum J {
    Null,
    Bool(bool),
    Int(usize),
    Num(f64),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(&'static str, J)>),
    /// An object whose keys are data (parameter names).
    Map(Vec<(String, J)>),
}

pub(super) fn num(v: f64) -> J {
    J::Num(v)
}

pub(super) fn text(s: impl Into<String>) -> J {
    J::Str(s.into())
}

fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

impl J {
    /// Writes the value, nested at `indent` spaces.
    pub(super) fn write(&self, out: &mut String, indent: usize) {
        let pad = |out: &mut String, n: usize| out.extend(std::iter::repeat_n(' ', n));
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Int(i) => {
                let _ = write!(out, "{i}");
            }
            // `{:?}` is the shortest text that reads back to the same f64, and always has a
            // '.' or an exponent (so it stays a float, as serde_json writes it).
            J::Num(v) if v.is_finite() => {
                let _ = write!(out, "{v:?}");
            }
            J::Num(_) => out.push_str("null"),
            J::Str(s) => write_str(out, s),
            J::Arr(items) if items.is_empty() => out.push_str("[]"),
            J::Arr(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    pad(out, indent + 2);
                    item.write(out, indent + 2);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                pad(out, indent);
                out.push(']');
            }
            J::Obj(fields) => {
                let fields: Vec<(&str, &J)> = fields.iter().map(|(k, v)| (*k, v)).collect();
                write_object(out, indent, &fields);
            }
            J::Map(fields) => {
                let fields: Vec<(&str, &J)> = fields.iter().map(|(k, v)| (k.as_str(), v)).collect();
                write_object(out, indent, &fields);
            }
        }
    }
}

fn write_object(out: &mut String, indent: usize, fields: &[(&str, &J)]) {
    if fields.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{\n");
    for (i, (k, v)) in fields.iter().enumerate() {
        out.extend(std::iter::repeat_n(' ', indent + 2));
        write_str(out, k);
        out.push_str(": ");
        v.write(out, indent + 2);
        out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
    }
    out.extend(std::iter::repeat_n(' ', indent));
    out.push('}');
}

/// The analysis as `scalescope fit --json` prints it (see [`report_json`]). `table` gives
/// the skipped rows and reader warnings (none without it, e.g. for a fit-only link).
pub fn fit_json(table: Option<&Table>, analysis: &Analysis, questions: Questions) -> String {
    report_json(&Report::new(table, analysis, questions))
}

/// The report as JSON: `{"fits": [...], "skipped": [...], "warnings": [...]}`, and
/// `"shared"` when a shared fit was asked for ([`crate::shared_fit::SharedFit`]), pretty-printed with a final
/// newline.
pub fn report_json(report: &Report) -> String {
    let mut fields = vec![
        ("fits", J::Arr(report.fits.iter().map(fit_value).collect())),
        ("skipped", skipped(&report.skipped)),
        ("warnings", warnings(&report.warnings)),
    ];
    if let Some(s) = &report.shared {
        fields.push((
            "shared",
            match s {
                Ok(s) => shared(s),
                Err(e) => J::Obj(vec![("error", text(e.to_string()))]),
            },
        ));
    }
    J::Obj(fields).pretty()
}

/// The shared fit: `{params, values, stderr, statistic, dof: [q, n − p], p, rss_joint,
/// rss_separate, n, converged, termination, groups: [{group, params}]}`. `params` names the
/// shared parameters; `values` and `stderr` are their joint estimates; `groups` holds every
/// group's parameters in the joint fit (the `fits` stay the separate fits).
fn shared(s: &SharedFit) -> J {
    let names = s.form.param_names();
    let by = |keys: &[&str], values: &[f64]| {
        J::Map(
            keys.iter()
                .zip(values)
                .map(|(k, v)| (k.to_string(), num(*v)))
                .collect(),
        )
    };
    let groups = s
        .groups
        .iter()
        .zip(&s.params)
        .map(|(g, p)| {
            J::Obj(vec![
                ("group", g.as_deref().map_or(J::Null, text)),
                ("params", by(&names, p)),
            ])
        })
        .collect();
    J::Obj(vec![
        ("params", J::Arr(s.names.iter().map(|n| text(*n)).collect())),
        ("values", by(&s.names, &s.values)),
        ("stderr", by(&s.names, &s.stderr)),
        ("statistic", num(s.statistic)),
        ("dof", J::Arr(vec![J::Int(s.dof.0), J::Int(s.dof.1)])),
        ("p", num(s.p)),
        ("rss_joint", num(s.rss_joint)),
        ("rss_separate", num(s.rss_separate)),
        ("n", J::Int(s.n)),
        ("converged", J::Bool(s.termination.converged())),
        ("termination", text(s.termination.to_string())),
        ("summary", text(s.summary())),
        ("groups", J::Arr(groups)),
    ])
}

/// A comparison as `scalescope compare --json` prints it: `{baseline, other, of, at_loss,
/// multiplier, ci95, baseline_needs, other_needs, curve: [{loss, multiplier, ci95} or
/// {loss, error}], warnings}`, pretty-printed with a final newline. With a bootstrap,
/// `ci95_bootstrap` follows each `ci95` (`null` where there is no interval; an infinite
/// upper bound, a group that may never reach the loss, is `null` too) and `bootstrap:
/// {resamples, used, failed, baseline_unreachable, other_unreachable, neither, unbounded,
/// error}` describes the one at the loss.
pub fn comparison_json(c: &Comparison) -> String {
    let boot = c.bootstrap.as_ref();
    let interval = |m: &MultiplierCi| m.ci95.as_ref().map_or(J::Null, |&ci| pair(ci));
    let point = |(k, r): (usize, &Result<Multiplier, CompareError>)| match r {
        Ok(m) => {
            let mut fields = vec![
                ("loss", num(m.at_loss)),
                ("multiplier", num(m.multiplier)),
                ("ci95", pair(m.ci95)),
            ];
            if let Some(b) = boot {
                fields.push(("ci95_bootstrap", b.curve.get(k).map_or(J::Null, interval)));
            }
            J::Obj(fields)
        }
        Err(e) => J::Obj(vec![
            (
                "loss",
                num(match e {
                    CompareError::Baseline { loss, .. } | CompareError::Other { loss, .. } => *loss,
                }),
            ),
            ("error", text(e.to_string())),
        ]),
    };
    let mut fields = vec![
        ("baseline", c.baseline.as_deref().map_or(J::Null, text)),
        ("other", c.other.as_deref().map_or(J::Null, text)),
        ("of", text(c.of.clone())),
        ("at_loss", num(c.at.at_loss)),
        ("multiplier", num(c.at.multiplier)),
        ("ci95", pair(c.at.ci95)),
    ];
    if let Some(b) = boot {
        let m = &b.at;
        fields.push(("ci95_bootstrap", interval(m)));
        fields.push((
            "bootstrap",
            J::Obj(vec![
                ("resamples", J::Int(m.resamples)),
                ("used", J::Int(m.used())),
                ("failed", J::Int(m.failed)),
                ("baseline_unreachable", J::Int(m.baseline_unreachable)),
                ("other_unreachable", J::Int(m.other_unreachable)),
                ("neither", J::Int(m.neither)),
                (
                    "unbounded",
                    J::Bool(m.ci95.as_ref().is_ok_and(|ci| ci.1 == f64::INFINITY)),
                ),
                (
                    "error",
                    m.ci95
                        .as_ref()
                        .err()
                        .map_or(J::Null, |e| text(e.to_string())),
                ),
            ]),
        ));
    }
    fields.extend([
        ("baseline_needs", num(c.at.baseline)),
        ("other_needs", num(c.at.other)),
        (
            "curve",
            J::Arr(c.curve.iter().enumerate().map(point).collect()),
        ),
        (
            "warnings",
            J::Arr(c.warnings.iter().map(|w| text(w.clone())).collect()),
        ),
    ]);
    J::Obj(fields).pretty()
}

impl J {
    /// The value pretty-printed, with a final newline.
    pub(super) fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out.push('\n');
        out
    }
}

/// The rows the reader left out: `[{line, column, text, message}]`.
pub(super) fn skipped(rows: &[SkippedRow]) -> J {
    J::Arr(
        rows.iter()
            .map(|s| {
                J::Obj(vec![
                    ("line", J::Int(s.row.line)),
                    (
                        "column",
                        s.column.as_ref().map_or(J::Null, |h| text(h.clone())),
                    ),
                    ("text", text(s.row.text.clone())),
                    ("message", text(s.row.to_string())),
                ])
            })
            .collect(),
    )
}

/// Warnings as an array of strings.
pub(super) fn warnings(w: &[String]) -> J {
    J::Arr(w.iter().map(|w| text(w.clone())).collect())
}

fn fit_value(g: &GroupReport) -> J {
    let f = &g.fit;
    let names = f.form.param_names();
    let by_name = |values: Vec<J>| {
        J::Map(
            names
                .iter()
                .zip(values)
                .map(|(n, v)| (n.to_string(), v))
                .collect(),
        )
    };
    let m = &f.metrics;
    let mut fields = vec![
        ("group", g.group.as_deref().map_or(J::Null, text)),
        ("form", text(f.form.name())),
        ("objective", text(f.objective.to_string())),
        ("n", J::Int(m.n)),
        (
            "params",
            by_name(f.params.iter().map(|&v| num(v)).collect()),
        ),
        (
            "stderr",
            by_name(f.stderr.iter().map(|&v| num(v)).collect()),
        ),
        ("se_method", text(f.se_method().name().to_string())),
        (
            "ci95",
            by_name(
                f.ci95
                    .iter()
                    .map(|&(lo, hi)| J::Arr(vec![num(lo), num(hi)]))
                    .collect(),
            ),
        ),
        (
            "fixed",
            by_name(
                (0..names.len())
                    .map(|k| J::Bool(f.pinned.get(k).copied().unwrap_or(false)))
                    .collect(),
            ),
        ),
        (
            "metrics",
            J::Obj(vec![
                ("objective", num(m.objective)),
                ("r2", num(m.r2)),
                ("r2_space", text(m.r2_space.to_string())),
                ("r2_raw", num(m.r2_raw)),
                ("rmse", num(m.rmse)),
                ("ser", num(m.ser)),
                ("sse", num(m.sse)),
                ("dof", J::Int(m.dof)),
                ("aic", num(m.aic)),
                ("bic", num(m.bic)),
            ]),
        ),
        ("converged", J::Bool(f.converged())),
        ("termination", text(f.termination.to_string())),
        (
            "warnings",
            J::Arr(f.warnings.iter().map(|w| text(w.clone())).collect()),
        ),
    ];
    if let Some(start) = &f.start {
        // Where the winning optimisation started: which start of a multi-start won.
        fields.push(("start", by_name(start.iter().map(|&v| num(v)).collect())));
    }
    if let Some(required) = &g.required {
        fields.push(("required", or_error(required.as_ref().map(answer))));
    }
    if let Some(optimal) = &g.optimal {
        fields.push(("optimal", or_error(optimal.as_ref().map(optimal_split))));
    }
    if let Some(a) = &g.against {
        fields.push((
            "against",
            match a {
                Ok(a) => J::Obj(vec![
                    ("law", text(a.preset.key())),
                    ("chi2", num(a.chi2)),
                    ("dof", J::Int(a.dof)),
                    ("p", num(a.p)),
                    ("covariance", text(a.covariance.name())),
                    (
                        "params",
                        J::Arr(a.params.iter().map(|p| text(*p)).collect()),
                    ),
                ]),
                Err(e) => J::Obj(vec![("error", text(e.to_string()))]),
            },
        ));
    }
    if let Some(b) = &g.bootstrap {
        fields.push((
            "bootstrap",
            match b {
                Ok(b) => bootstrap(b, &names),
                Err(e) => J::Obj(vec![("error", text(e.to_string()))]),
            },
        ));
    }
    J::Obj(fields)
}

pub(super) fn pair((lo, hi): (f64, f64)) -> J {
    J::Arr(vec![num(lo), num(hi)])
}

/// `{resamples, failed, se, ci95, required_ci95, optimal_ci95}`; an infinite upper bound
/// (a target some refits never reach) is `null` with `"unbounded": true`.
fn bootstrap(b: &Bootstrap, names: &[&str]) -> J {
    let by_name = |values: Vec<J>| {
        J::Map(
            names
                .iter()
                .zip(values)
                .map(|(n, v)| (n.to_string(), v))
                .collect(),
        )
    };
    let required = b.required.as_ref().map_or(J::Null, |r| {
        or_error(r.as_ref().map(|r| {
            let mut fields = vec![("target_loss", num(r.target))];
            match r.reach {
                BootReach::Input(x) => fields.push(("x", pair(x))),
                BootReach::Allocation(a) => fields.extend([
                    ("compute", pair(a.compute)),
                    ("N", pair(a.n)),
                    ("D", pair(a.d)),
                ]),
            }
            fields.push(("unbounded", J::Bool(r.unbounded())));
            fields.push(("unreachable", J::Int(r.unreachable)));
            J::Obj(fields)
        }))
    });
    let optimal = b.optimal.as_ref().map_or(J::Null, |o| {
        or_error(o.as_ref().map(|a| {
            J::Obj(vec![
                ("compute", num(a.compute.0)),
                ("N", pair(a.n)),
                ("D", pair(a.d)),
                ("loss", pair(a.loss)),
                ("tokens_per_param", pair(a.tokens_per_param)),
            ])
        }))
    });
    J::Obj(vec![
        ("resamples", J::Int(b.resamples)),
        ("failed", J::Int(b.failed)),
        ("se", by_name(b.se.iter().map(|&v| num(v)).collect())),
        ("ci95", by_name(b.ci95.iter().map(|&c| pair(c)).collect())),
        ("required_ci95", required),
        ("optimal_ci95", optimal),
    ])
}

fn or_error(value: Result<J, &InvertError>) -> J {
    value.unwrap_or_else(|e| J::Obj(vec![("error", text(e.to_string()))]))
}

fn answer(a: &Answer) -> J {
    let mut fields = match &a.reach {
        Reach::Input(r) => vec![
            ("x", num(r.x)),
            ("x_ci95", pair(r.ci95)),
            ("unbounded", J::Bool(r.unbounded())),
        ],
        Reach::Allocation(split) => {
            let mut fields = allocation_fields(&split.at);
            let ci = split.ci95.unwrap_or(NO_CI);
            fields.extend([
                ("compute_ci95", pair(ci.compute)),
                ("N_ci95", pair(ci.n)),
                ("D_ci95", pair(ci.d)),
                ("unbounded", J::Bool(split.unbounded())),
            ]);
            fields
        }
    };
    fields.push(("target_loss", num(a.target_loss)));
    if let Some(p) = a.target_ppl {
        fields.push(("target_ppl", num(p)));
    }
    J::Obj(fields)
}

/// The intervals of a fit without a covariance.
const NO_CI: AllocationCi = AllocationCi {
    compute: (f64::NAN, f64::NAN),
    n: (f64::NAN, f64::NAN),
    d: (f64::NAN, f64::NAN),
    loss: (f64::NAN, f64::NAN),
    tokens_per_param: (f64::NAN, f64::NAN),
};

/// The split at a budget with its analytic intervals.
fn optimal_split(split: &Split) -> J {
    let mut fields = allocation_fields(&split.at);
    let ci = split.ci95.unwrap_or(NO_CI);
    fields.extend([
        ("N_ci95", pair(ci.n)),
        ("D_ci95", pair(ci.d)),
        ("loss_ci95", pair(ci.loss)),
        ("tokens_per_param_ci95", pair(ci.tokens_per_param)),
    ]);
    J::Obj(fields)
}

fn allocation_fields(a: &Allocation) -> Vec<(&'static str, J)> {
    vec![
        ("compute", num(a.compute)),
        ("N", num(a.n)),
        ("D", num(a.d)),
        ("loss", num(a.loss)),
        ("tokens_per_param", num(a.tokens_per_param)),
    ]
}

/// An isoFLOP profile as `scalescope isoflop --json` prints it:
/// `{"budgets": [{"C", "N_opt", "D_opt", "loss_opt", "n", "N_range", "parabola"}],
/// "refused": [{"C", "n", "reason"}], "a", "a_ci95", "k_N", "b", "b_ci95", "k_D",
/// "bootstrap": {"resamples", "failed", "dropped"}, "skipped", "warnings"}`, pretty-printed
/// with a final newline. `parabola` is `[p0, p1, p2]` of `p0 + p1·ln N + p2·(ln N)²`.
/// With the `table` the runs were read from, `skipped` lists the rows it left out (as
/// [`report_json`] does) and its reader's warnings open `warnings`.
pub fn isoflop_json(profile: &Isoflop, table: Option<&Table>) -> String {
    let budgets = profile
        .budgets
        .iter()
        .map(|b| {
            J::Obj(vec![
                ("C", num(b.c)),
                ("N_opt", num(b.n_opt)),
                ("D_opt", num(b.d_opt)),
                ("loss_opt", num(b.loss_opt)),
                ("n", J::Int(b.runs)),
                ("N_range", pair(b.n_range)),
                (
                    "parabola",
                    J::Arr(vec![
                        num(b.parabola.0),
                        num(b.parabola.1),
                        num(b.parabola.2),
                    ]),
                ),
            ])
        })
        .collect();
    let refused = profile
        .refused
        .iter()
        .map(|r| {
            J::Obj(vec![
                ("C", num(r.c)),
                ("n", J::Int(r.runs)),
                ("reason", text(r.reason.to_string())),
            ])
        })
        .collect();
    let value = J::Obj(vec![
        ("budgets", J::Arr(budgets)),
        ("refused", J::Arr(refused)),
        ("a", num(profile.a)),
        ("a_ci95", pair(profile.a_ci95)),
        ("k_N", num(profile.k_n)),
        ("b", num(profile.b)),
        ("b_ci95", pair(profile.b_ci95)),
        ("k_D", num(profile.k_d)),
        (
            "bootstrap",
            J::Obj(vec![
                ("resamples", J::Int(profile.resamples)),
                ("failed", J::Int(profile.failed)),
                ("dropped", J::Int(profile.dropped)),
            ]),
        ),
        (
            "skipped",
            skipped(&table.map(skipped_rows).unwrap_or_default()),
        ),
        (
            "warnings",
            J::Arr(
                table
                    .map(reader_warnings)
                    .unwrap_or_default()
                    .into_iter()
                    .chain(profile.warnings.iter().map(ToString::to_string))
                    .map(text)
                    .collect(),
            ),
        ),
    ]);
    let mut out = String::new();
    value.write(&mut out, 0);
    out.push('\n');
    out
}
