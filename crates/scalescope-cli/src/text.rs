//! The readable output: one block per group, then skipped rows and warnings.

use std::fmt::Write;

use scalescope_core::backtest::{
    scale_name, Backtest, Forecast, GroupBacktest, HoldOut, Mode, Outcome,
};
use scalescope_core::bootstrap::{Bootstrap, Reach as BootReach};
use scalescope_core::chinchilla::Allocation;
use scalescope_core::format::{hides_or_breaks, scale, sig};
use scalescope_core::isoflop::{reader_warnings, Isoflop};
use scalescope_core::report::{GroupReport, Reach, Report};
use scalescope_core::shared_fit::SharedFit;
use scalescope_core::table::Table;

/// `s` with every control character (ESC, CR, LF, tab, C1 controls such as CSI) and
/// every bidirectional or line-separating mark written as `\u{…}`, so names from a table
/// cannot move the cursor, recolour the terminal or fake a line of output.
pub fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if hides_or_breaks(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// The report as text for a terminal; text from the table (names, cells, headers) is
/// [`printable`].
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for (i, g) in report.fits.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        group(&mut out, g);
    }
    match &report.shared {
        Some(Ok(s)) => shared(&mut out, s),
        Some(Err(e)) => {
            let _ = writeln!(out, "\nshared: {e}");
        }
        None => {}
    }
    trailer(&mut out, &report.skipped, &report.warnings);
    out
}

/// Skipped rows and warnings, after the groups.
fn trailer(out: &mut String, skipped: &[scalescope_core::report::SkippedRow], warnings: &[String]) {
    if !skipped.is_empty() {
        let _ = writeln!(out, "\nskipped rows ({}):", skipped.len());
        for s in skipped {
            let _ = writeln!(out, "  {}", printable(&s.row.to_string()));
        }
    }
    if !warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for w in warnings {
            let _ = writeln!(out, "  {}", printable(w));
        }
    }
}

/// The backtest as text: per group the held-out points (or the rolling steps) in a table,
/// then the mean absolute relative error and the coverage.
pub fn backtest(b: &Backtest) -> String {
    let mut out = String::new();
    let what = match b.mode {
        Mode::HoldOut(HoldOut::Top(1)) => format!("the largest {} held out", scale_name(b.form)),
        Mode::HoldOut(HoldOut::Top(k)) => {
            format!("the {k} largest {} values held out", scale_name(b.form))
        }
        Mode::HoldOut(HoldOut::Above(x)) => {
            format!("{} above {} held out", scale_name(b.form), scale(x, 4))
        }
        Mode::Rolling => format!(
            "rolling: each {} predicted from the smaller ones",
            scale_name(b.form)
        ),
    };
    for (i, g) in b.groups.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        backtest_group(&mut out, b, g, &what);
    }
    trailer(&mut out, &b.skipped, &b.warnings);
    out
}

fn backtest_group(out: &mut String, b: &Backtest, g: &GroupBacktest, what: &str) {
    let title = g.group.as_deref().map_or("all rows".to_string(), |g| {
        format!("group {}", printable(g))
    });
    let _ = writeln!(
        out,
        "{title}: {} law, objective {}, {what}",
        b.form, b.objective
    );
    let two = b.form.two_inputs();
    match &g.outcome {
        Ok(Outcome::HoldOut(f)) => {
            let _ = writeln!(
                out,
                "  fitted {} points ({} ≤ {})",
                f.fitted,
                scale_name(b.form),
                scale(f.largest_fitted, 4)
            );
            points_table(out, f, two);
            let _ = writeln!(out, "  {}", summary(f));
        }
        Ok(Outcome::Rolling(steps)) => {
            let _ = writeln!(
                out,
                "  {:>6} {:>6} {:>12} {:>15} {:>16} {:>9}",
                "scales", "points", "largest used", "next", "mean |rel error|", "coverage"
            );
            for s in steps {
                let tail = match &s.forecast {
                    Ok(f) => format!(
                        "{:>16} {:>9}",
                        unsigned_percent(f.mean_abs_rel_error),
                        coverage(f)
                    ),
                    Err(e) => format!("cannot fit: {}", printable(&e.to_string())),
                };
                let _ = writeln!(
                    out,
                    "  {:>6} {:>6} {:>12} {:>15} {tail}",
                    s.scales_used,
                    s.used,
                    scale(s.largest_used, 4),
                    if s.next_largest > s.next_scale {
                        format!("{}–{}", scale(s.next_scale, 3), scale(s.next_largest, 3))
                    } else {
                        scale(s.next_scale, 4)
                    }
                );
            }
        }
        Err(e) => {
            let _ = writeln!(out, "  cannot backtest: {}", printable(&e.to_string()));
        }
    }
}

fn points_table(out: &mut String, f: &Forecast, two: bool) {
    let inputs = if two {
        format!("{:>10} {:>10} {:>10}", "N", "D", "C")
    } else {
        format!("{:>10}", "x")
    };
    let _ = writeln!(
        out,
        "  {inputs} {:>10} {:>10} {:>24} {:>10} {:>6}",
        "observed", "predicted", "95 % prediction", "rel error", "inside"
    );
    for p in &f.heldout {
        let inputs = match p.d {
            Some(d) => format!(
                "{:>10} {:>10} {:>10}",
                scale(p.x, 4),
                scale(d, 4),
                format!("{:.3e}", p.scale)
            ),
            None => format!("{:>10}", scale(p.x, 4)),
        };
        let pi = p.pi95.map_or("–".to_string(), |(lo, hi)| {
            format!("[{}, {}]", sig(lo, 5), sig(hi, 5))
        });
        let inside = match p.inside {
            Some(true) => "yes",
            Some(false) => "no",
            None => "–",
        };
        let _ = writeln!(
            out,
            "  {inputs} {:>10} {:>10} {pi:>24} {:>10} {inside:>6}",
            sig(p.observed, 5),
            sig(p.predicted, 5),
            percent(p.rel_error)
        );
    }
}

/// `mean |rel error| 3.57 %, coverage 3/4 (75 %)`.
fn summary(f: &Forecast) -> String {
    format!(
        "mean |rel error| {}, coverage {}",
        unsigned_percent(f.mean_abs_rel_error),
        coverage(f)
    )
}

fn coverage(f: &Forecast) -> String {
    let with = f.heldout.iter().filter(|p| p.inside.is_some()).count();
    let inside = f.heldout.iter().filter(|p| p.inside == Some(true)).count();
    if with == 0 {
        "–".to_string()
    } else {
        format!("{inside}/{with}")
    }
}

/// `3.57 %`.
fn unsigned_percent(v: f64) -> String {
    if v.is_finite() {
        format!("{:.2} %", 100.0 * v)
    } else {
        "–".to_string()
    }
}

/// `+3.57 %`, `-5.44 %`.
fn percent(v: f64) -> String {
    if v.is_finite() {
        format!("{:+.2} %", 100.0 * v)
    } else {
        "–".to_string()
    }
}

/// The shared fit: the test's line, then each group's parameters in the joint fit.
fn shared(out: &mut String, s: &SharedFit) {
    let _ = writeln!(out, "\n{}", printable(&s.summary()));
    let _ = writeln!(
        out,
        "  joint fit ({}, RSS {} against {} separately, {}):",
        s.objective,
        sig(s.rss_joint, 6),
        sig(s.rss_separate, 6),
        s.termination
    );
    let names = s.form.param_names();
    for (g, p) in s.groups.iter().zip(&s.params) {
        let title = g.as_deref().map_or("all rows".to_string(), |g| {
            format!("group {}", printable(g))
        });
        let values: Vec<String> = names
            .iter()
            .zip(p)
            .map(|(n, v)| format!("{n} = {}", sig(*v, 6)))
            .collect();
        let _ = writeln!(out, "  {title}: {}", values.join(", "));
    }
}

fn group(out: &mut String, g: &GroupReport) {
    let f = &g.fit;
    let m = &f.metrics;
    let title = g.group.as_deref().map_or("all rows".to_string(), |g| {
        format!("group {}", printable(g))
    });
    let _ = writeln!(out, "{title}: {} fit, {}", f.form, f.form.formula());
    let _ = writeln!(
        out,
        "  objective {}, n = {}, {}",
        f.objective, m.n, f.termination
    );
    let _ = writeln!(
        out,
        "  {:<8} {:>14} {:>12} {:>30}",
        "param", "value", "± SE", "95 % interval"
    );
    for (k, name) in f.form.param_names().iter().enumerate() {
        let (lo, hi) = f.ci95[k];
        let value = sig(f.params[k], 6);
        if f.pinned.get(k).copied().unwrap_or(false) {
            let _ = writeln!(out, "  {name:<8} {value:>14} {:>12}", "(fixed)");
            continue;
        }
        let _ = writeln!(
            out,
            "  {:<8} {:>14} {:>12} {:>30}",
            name,
            value,
            sig(f.stderr[k], 3),
            format!("[{}, {}]", sig(lo, 5), sig(hi, 5))
        );
    }
    let _ = writeln!(
        out,
        "  R² ({}) {}   R² (raw) {}   RMSE {}   AIC {}   BIC {}   objective {}",
        m.r2_space,
        sig(m.r2, 5),
        sig(m.r2_raw, 5),
        sig(m.rmse, 4),
        sig(m.aic, 5),
        sig(m.bic, 5),
        sig(m.objective, 6)
    );
    for w in &f.warnings {
        let _ = writeln!(out, "  note: {}", printable(w));
    }
    if let Some(required) = &g.required {
        match required {
            Ok(a) => {
                let target = match a.target_ppl {
                    Some(p) => format!("perplexity {} (loss {})", sig(p, 5), sig(a.target_loss, 5)),
                    None => format!("loss {}", sig(a.target_loss, 5)),
                };
                match &a.reach {
                    Reach::Input(r) => {
                        let _ = writeln!(
                            out,
                            "  to reach {target}: x = {}  (95 % {})",
                            scale(r.x, 4),
                            range(r.ci95)
                        );
                    }
                    Reach::Allocation(split) => {
                        let _ = writeln!(out, "  to reach {target}: {}", allocation(&split.at));
                        if let Some(ci) = &split.ci95 {
                            let _ = writeln!(
                                out,
                                "    95 %: C {}, N {}, D {}",
                                range(ci.compute),
                                bare_range(ci.n),
                                bare_range(ci.d)
                            );
                        }
                    }
                }
            }
            Err(e) => {
                let _ = writeln!(out, "  target: {e}");
            }
        }
    }
    if let Some(optimal) = &g.optimal {
        match optimal {
            Ok(split) => {
                let _ = writeln!(out, "  compute-optimal: {}", allocation(&split.at));
                if let Some(ci) = &split.ci95 {
                    let _ = writeln!(
                        out,
                        "    95 %: N {}, D {}, loss [{}, {}], tokens/param [{}, {}]",
                        range(ci.n),
                        range(ci.d),
                        sig(ci.loss.0, 5),
                        sig(ci.loss.1, 5),
                        sig(ci.tokens_per_param.0, 3),
                        sig(ci.tokens_per_param.1, 3)
                    );
                }
            }
            Err(e) => {
                let _ = writeln!(out, "  compute-optimal: {e}");
            }
        }
    }
    match &g.bootstrap {
        Some(Ok(b)) => bootstrap(out, f.form.param_names(), &f.pinned, b),
        Some(Err(e)) => {
            let _ = writeln!(out, "  bootstrap: {e}");
        }
        None => {}
    }
    match &g.against {
        Some(Ok(a)) => {
            let _ = writeln!(
                out,
                "  against {} ({}): χ² = {} on {} dof ({}), p = {} ({} covariance)",
                a.preset.key(),
                a.preset.preset().title,
                sig(a.chi2, 4),
                a.dof,
                a.params.join(", "),
                sig(a.p, 3),
                a.covariance
            );
        }
        Some(Err(e)) => {
            let _ = writeln!(out, "  against: {e}");
        }
        None => {}
    }
}

/// The bootstrap block: SE and percentile interval per parameter, then the target's and
/// the budget's intervals.
fn bootstrap(out: &mut String, names: Vec<&str>, pinned: &[bool], b: &Bootstrap) {
    let _ = writeln!(
        out,
        "  bootstrap: {} resamples, {} failed",
        b.resamples, b.failed
    );
    let _ = writeln!(
        out,
        "  {:<8} {:>14} {:>30}",
        "param", "boot SE", "95 % percentile"
    );
    for (k, name) in names.iter().enumerate() {
        if pinned.get(k).copied().unwrap_or(false) {
            continue;
        }
        let (lo, hi) = b.ci95[k];
        let _ = writeln!(
            out,
            "  {name:<8} {:>14} {:>30}",
            sig(b.se[k], 3),
            format!("[{}, {}]", sig(lo, 5), sig(hi, 5))
        );
    }
    match &b.required {
        Some(Ok(r)) => {
            let what = match r.reach {
                BootReach::Input(x) => format!("x 95 % {}", range(x)),
                BootReach::Allocation(a) => format!(
                    "C 95 % {}, N {}, D {}",
                    range(a.compute),
                    range(a.n),
                    range(a.d)
                ),
            };
            let _ = writeln!(
                out,
                "  bootstrap, to reach loss {}: {what}",
                sig(r.target, 5)
            );
        }
        Some(Err(e)) => {
            let _ = writeln!(out, "  bootstrap, target: {e}");
        }
        None => {}
    }
    match &b.optimal {
        Some(Ok(a)) => {
            let _ = writeln!(
                out,
                "  bootstrap, compute-optimal at {:.3e} FLOP: N 95 % {}, D {}, loss [{}, {}]",
                a.compute.0,
                range(a.n),
                range(a.d),
                sig(a.loss.0, 5),
                sig(a.loss.1, 5)
            );
        }
        Some(Err(e)) => {
            let _ = writeln!(out, "  bootstrap, compute-optimal: {e}");
        }
        None => {}
    }
}

fn allocation(a: &Allocation) -> String {
    format!(
        "C = {:.3e} FLOP → N = {}, D = {}, loss {}, {} tokens/param",
        a.compute,
        scale(a.n, 4),
        scale(a.d, 4),
        sig(a.loss, 5),
        sig(a.tokens_per_param, 3)
    )
}

/// An isoFLOP profile for a terminal: the budgets' minima, the refused budgets, the
/// power laws with their intervals, then skipped rows and warnings.
pub fn isoflop(p: &Isoflop, table: &Table) -> String {
    let mut out = String::new();
    let runs: usize = p.budgets.iter().map(|b| b.runs).sum::<usize>()
        + p.refused.iter().map(|r| r.runs).sum::<usize>();
    let _ = writeln!(
        out,
        "isoFLOP profiles (Approach 2): {} budgets with a minimum, {} refused, {runs} runs",
        p.budgets.len(),
        p.refused.len()
    );
    let _ = writeln!(
        out,
        "  {:<10} {:>5} {:>10} {:>10} {:>10} {:>22}",
        "budget C", "runs", "N_opt", "D_opt", "loss_opt", "N sampled"
    );
    for b in &p.budgets {
        let _ = writeln!(
            out,
            "  {:<10} {:>5} {:>10} {:>10} {:>10} {:>22}",
            sig(b.c, 3),
            b.runs,
            scale(b.n_opt, 4),
            scale(b.d_opt, 4),
            sig(b.loss_opt, 5),
            format!("{} – {}", scale(b.n_range.0, 3), scale(b.n_range.1, 3))
        );
    }
    for r in &p.refused {
        let _ = writeln!(out, "  refused: {r}");
    }
    let interval = |(lo, hi): (f64, f64)| format!("[{}, {}]", sig(lo, 4), sig(hi, 4));
    let _ = writeln!(
        out,
        "N*(C) = k_N·C^a: a = {}  95 % {}  k_N = {}",
        sig(p.a, 4),
        interval(p.a_ci95),
        sig(p.k_n, 4)
    );
    let _ = writeln!(
        out,
        "D*(C) = k_D·C^b: b = {}  95 % {}  k_D = {}",
        sig(p.b, 4),
        interval(p.b_ci95),
        sig(p.k_d, 4)
    );
    let _ = writeln!(
        out,
        "bootstrap: {} resamples of the runs within each budget, {} failed, seed {}",
        p.resamples, p.failed, p.seed
    );
    let warnings: Vec<String> = reader_warnings(table)
        .into_iter()
        .chain(p.warnings.iter().map(ToString::to_string))
        .collect();
    trailer(
        &mut out,
        &scalescope_core::report::skipped_rows(table),
        &warnings,
    );
    out
}

/// A 95 % interval of a scale; an infinite upper bound says the target may never be
/// reached at this confidence.
fn range((lo, hi): (f64, f64)) -> String {
    if hi == f64::INFINITY {
        format!(
            "[{}, ∞ — may never be reached at this confidence]",
            scale(lo, 3)
        )
    } else {
        format!("[{}, {}]", scale(lo, 3), scale(hi, 3))
    }
}

/// A 95 % interval of a scale, `∞` written bare (the compute beside it says what it means).
fn bare_range((lo, hi): (f64, f64)) -> String {
    let hi = if hi == f64::INFINITY {
        "∞".to_string()
    } else {
        scale(hi, 3)
    };
    format!("[{}, {hi}]", scale(lo, 3))
}
