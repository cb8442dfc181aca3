//! The readable output: one block per group, then skipped rows and warnings.

use std::fmt::Write;

use scalescope_core::bootstrap::{Bootstrap, Reach as BootReach};
use scalescope_core::chinchilla::Allocation;
use scalescope_core::format::{hides_or_breaks, scale, sig};
use scalescope_core::report::{GroupReport, Reach, Report};

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
    if !report.skipped.is_empty() {
        let _ = writeln!(out, "\nskipped rows ({}):", report.skipped.len());
        for s in &report.skipped {
            let _ = writeln!(out, "  {}", printable(&s.row.to_string()));
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "\nwarnings:");
        for w in &report.warnings {
            let _ = writeln!(out, "  {}", printable(w));
        }
    }
    out
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
