//! Exports of an [`Analysis`]: the fit as JSON in the CLI's `--json` shape
//! ([`report_json`]; a backtest's in `scalescope backtest --json`'s, [`backtest_json`]),
//! fitted curves and data as CSV, the laws as LaTeX and as a Python (numpy) snippet. Plain
//! text out, so the page and the CLI produce the same files.

mod backtest;
mod json;

pub use crate::report::Questions;
pub use backtest::backtest_json;
pub use json::{comparison_json, fit_json, isoflop_json, report_json};

use crate::analysis::Analysis;
use crate::format::hides_or_breaks;
use crate::presets::Model;
use crate::{Fit, Objective};
use std::collections::HashSet;
use std::fmt::Write as _;

/// Samples per fitted curve in [`curves_csv`].
pub const CURVE_SAMPLES: usize = 100;

/// A text cell of the CSV. A cell a spreadsheet would run as a formula (it starts with
/// `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP's CSV-injection list) is prefixed
/// with `'` and quoted, so `=HYPERLINK(…)` stays text; cells with `,`, `"` or a line break
/// are quoted, with `""` for `"`.
fn csv_field(s: &str) -> String {
    let formula = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if formula {
        format!("\"'{}\"", s.replace('"', "\"\""))
    } else if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A name as text-mode LaTeX: the specials escaped, control characters (and line
/// separators) dropped, so a name stays on its line and typesets as written.
fn tex_text(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().filter(|&c| !hides_or_breaks(c)) {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            '{' | '}' | '$' | '&' | '#' | '_' | '%' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// A Python string literal of `s`, as `repr` writes it: single quotes, `\\` and `\'`
/// escaped, and every control character (and line separator or bidirectional control)
/// as `\n`, `\r`, `\t`, `\xNN` or `\uNNNN`, so the literal is one line of inert text.
fn py_str(s: &str) -> String {
    let mut out = String::from("'");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hides_or_breaks(c) => {
                let _ = if (c as u32) < 0x100 {
                    write!(out, "\\x{:02x}", c as u32)
                } else {
                    write!(out, "\\u{:04x}", c as u32)
                };
            }
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

fn csv_num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else {
        String::new()
    }
}

/// The data and fitted curves as CSV:
/// `group,kind,x,d,y,fitted,lo95,hi95,excluded,pi_lo95,pi_hi95`. `kind` is `data` (an observation, with
/// its fitted value), `fit` (the curve sampled log-evenly over the group's data range) or,
/// for a law of N and D, `frontier` (the compute-optimal N, D and loss over the data's compute
/// range); `lo95`/`hi95` bound the fitted mean, `pi_lo95`/`pi_hi95` a new run
/// ([`Fit::prediction95`]).
pub fn curves_csv(analysis: &Analysis) -> String {
    let mut out = String::from("group,kind,x,d,y,fitted,lo95,hi95,excluded,pi_lo95,pi_hi95\n");
    for g in &analysis.groups {
        let name = csv_field(g.name.as_deref().unwrap_or(""));
        let fit = g.fit.as_ref().ok();
        let p = &g.points;
        for i in 0..p.len() {
            let (x, d, y) = (p.x[i], p.d_at(i), p.y.get(i).copied().unwrap_or(f64::NAN));
            let nan = (f64::NAN, f64::NAN);
            let (fitted, (lo, hi), (plo, phi)) = fit.map_or((f64::NAN, nan, nan), |f| {
                (f.predict(x, d), f.band95(x, d), f.prediction95(x, d))
            });
            let excluded = g.excluded.get(i).copied().unwrap_or(false);
            let _ = writeln!(
                out,
                "{name},data,{},{},{},{},{},{},{},{},{}",
                csv_num(x),
                d.map(csv_num).unwrap_or_default(),
                csv_num(y),
                csv_num(fitted),
                csv_num(lo),
                csv_num(hi),
                u8::from(excluded),
                csv_num(plo),
                csv_num(phi)
            );
        }
        let Some(f) = fit else { continue };
        let range = |v: &mut dyn Iterator<Item = f64>| {
            v.filter(|v| v.is_finite() && *v > 0.0)
                .fold(None, |acc: Option<(f64, f64)>, v| {
                    Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
                })
        };
        let grid = |(lo, hi): (f64, f64)| {
            (0..CURVE_SAMPLES).map(move |i| {
                (lo.ln() + (hi.ln() - lo.ln()) * i as f64 / (CURVE_SAMPLES - 1) as f64).exp()
            })
        };
        let model = Model::fitted(f);
        if model.has_frontier() {
            let Some(c_range) =
                range(&mut (0..p.len()).filter_map(|i| p.d_at(i).map(|d| 6.0 * p.x[i] * d)))
            else {
                continue;
            };
            for a in grid(c_range).filter_map(|c| model.optimal_allocation(c).ok()) {
                let (lo, hi) = f.band95(a.n, Some(a.d));
                let (plo, phi) = f.prediction95(a.n, Some(a.d));
                let _ = writeln!(
                    out,
                    "{name},frontier,{},{},,{},{},{},0,{},{}",
                    csv_num(a.n),
                    csv_num(a.d),
                    csv_num(a.loss),
                    csv_num(lo),
                    csv_num(hi),
                    csv_num(plo),
                    csv_num(phi)
                );
            }
        } else {
            let Some(x_range) = range(&mut p.x.iter().copied()) else {
                continue;
            };
            for x in grid(x_range) {
                let (lo, hi) = f.band95(x, None);
                let (plo, phi) = f.prediction95(x, None);
                let _ = writeln!(
                    out,
                    "{name},fit,{},,,{},{},{},0,{},{}",
                    csv_num(x),
                    csv_num(f.predict(x, None)),
                    csv_num(lo),
                    csv_num(hi),
                    csv_num(plo),
                    csv_num(phi)
                );
            }
        }
    }
    out
}

fn tex_name(x: &str) -> String {
    if x.chars().count() == 1 && x.chars().all(|c| c.is_ascii_alphabetic()) {
        x.to_string()
    } else {
        let escaped: String = x
            .chars()
            .filter(|&c| !hides_or_breaks(c))
            .map(|c| match c {
                '_' | '%' | '&' | '#' | '$' | '{' | '}' => format!("\\{c}"),
                '\\' | '^' | '~' => " ".to_string(),
                c => c.to_string(),
            })
            .collect();
        format!("\\mathrm{{{escaped}}}")
    }
}

/// The fitted law with its numbers as a LaTeX equation, e.g.
/// `L(N) = 1.69 + \frac{406.4}{N^{0.34}}`. `x_name` names the single input.
pub fn latex(fit: &Fit, x_name: &str) -> String {
    let law = fit.form.law();
    let p: Vec<f64> = (0..law.params().len())
        .map(|i| fit.params.get(i).copied().unwrap_or(f64::NAN))
        .collect();
    law.render(&p, &tex_name(x_name), crate::laws::Style::Latex)
}

/// The LaTeX of every fitted group, one equation per line, each after a `%` comment
/// naming its group (escaped as LaTeX text, control characters dropped, so a name can
/// neither end the comment nor run a command).
pub fn latex_all(analysis: &Analysis, x_name: &str) -> String {
    let mut out = String::new();
    for g in &analysis.groups {
        if let Ok(f) = &g.fit {
            if let Some(name) = &g.name {
                let _ = writeln!(out, "% {}", tex_text(name));
            }
            let _ = writeln!(out, "{}", latex(f, x_name));
        }
    }
    out
}

fn py_num(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else if v.is_nan() {
        "float(\"nan\")".into()
    } else if v > 0.0 {
        "float(\"inf\")".into()
    } else {
        "float(\"-inf\")".into()
    }
}

/// `loss` or `loss_<group>` as a Python identifier, not yet in `used` (`_2`, `_3`… are
/// appended when two groups sanitise alike, e.g. `a-b` and `a b`); it is added to `used`.
fn unique_py_ident(group: Option<&str>, used: &mut HashSet<String>) -> String {
    let base = py_ident(group);
    let mut ident = base.clone();
    let mut k = 2;
    while used.contains(&ident) {
        ident = format!("{base}_{k}");
        k += 1;
    }
    used.insert(ident.clone());
    ident
}

/// `loss` or `loss_<group>` as a Python identifier: ASCII letters (lowercased), digits
/// and `_`, after the `loss` prefix.
fn py_ident(group: Option<&str>) -> String {
    let Some(g) = group else {
        return "loss".into();
    };
    let tail: String = g
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    format!("loss_{}", tail.trim_matches('_'))
        .trim_end_matches('_')
        .to_string()
}

fn objective_note(o: Objective) -> String {
    format!("objective {o}")
}

/// A Python (numpy) snippet defining one function per fitted group that evaluates its law
/// with the parameters at full precision (`loss(x)`, or `loss(N, D)` for chinchilla).
///
/// Group names appear only as sanitised, unique function names and, in the comment above
/// each function, as an escaped string literal: no name can add a statement.
pub fn python(analysis: &Analysis) -> String {
    let mut out = String::from("import numpy as np\n");
    let mut used = HashSet::new();
    for g in &analysis.groups {
        let Ok(f) = &g.fit else { continue };
        let names = f.form.param_names();
        let values: Vec<String> = f.params.iter().map(|&v| py_num(v)).collect();
        let group = g
            .name
            .as_deref()
            .map(|n| format!(", group {}", py_str(n)))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\n\n# Fitted by Scalescope: {} law {}, {}{group}",
            f.form,
            f.form.formula(),
            objective_note(f.objective)
        );
        let ident = unique_py_ident(g.name.as_deref(), &mut used);
        let law = f.form.law();
        let args = law
            .inputs()
            .iter()
            .map(|i| i.name())
            .collect::<Vec<_>>()
            .join(", ");
        let body = law.numpy();
        let _ = writeln!(out, "def {ident}({args}):");
        let _ = writeln!(out, "    {} = {}", names.join(", "), values.join(", "));
        for a in args.split(", ") {
            let _ = writeln!(out, "    {a} = np.asarray({a}, dtype=float)");
        }
        let _ = writeln!(out, "    return {body}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, AnalysisOptions};
    use crate::format::tex_num;
    use crate::table::{read_table, ReadOptions, Table};
    use crate::Form;

    fn analysis(text: &str, form: Form) -> (Table, Analysis) {
        let t = read_table(text, &ReadOptions::new()).unwrap_or_else(|e| panic!("{e}"));
        let a = analyze(
            &t,
            &AnalysisOptions {
                form,
                ..AnalysisOptions::default()
            },
        );
        (t, a)
    }

    const POWER: &str = "params,loss\n1e6,4.0\n1e7,3.3\n1e8,2.7\n1e9,2.2\n";

    #[test]
    fn python_carries_full_precision_parameters() {
        let (_, a) = analysis(POWER, Form::Power);
        let py = python(&a);
        let f = a.groups[0].fit.as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            py.contains(&format!("a, b = {:?}, {:?}", f.params[0], f.params[1])),
            "{py}"
        );
        assert!(
            py.contains("def loss(x):") && py.contains("return a * x ** b"),
            "{py}"
        );
    }

    #[test]
    fn json_numbers_read_back_exactly_and_strings_are_escaped() {
        let (t, a) = analysis(
            "model,params,loss\n\"a\"\"b\",1e6,4.0\n\"a\"\"b\",1e7,3.3\n\"a\"\"b\",1e8,2.7\n",
            Form::Power,
        );
        let json = fit_json(Some(&t), &a, Questions::default());
        assert!(json.contains("\"group\": \"a\\\"b\""), "{json}");
        let f = a.groups[0].fit.as_ref().unwrap_or_else(|e| panic!("{e}"));
        assert!(
            json.contains(&format!("\"a\": {:?}", f.params[0])),
            "{json}"
        );
        assert!(json.ends_with("}\n"));
    }

    #[test]
    fn csv_has_data_and_curve_rows() {
        let (_, a) = analysis(POWER, Form::Power);
        let csv = curves_csv(&a);
        assert_eq!(csv.lines().filter(|l| l.starts_with(",data,")).count(), 4);
        assert_eq!(
            csv.lines().filter(|l| l.starts_with(",fit,")).count(),
            CURVE_SAMPLES
        );
        // A new run's interval holds the mean's band: pi_lo ≤ lo ≤ hi ≤ pi_hi.
        for line in csv.lines().filter(|l| l.starts_with(",fit,")) {
            let v: Vec<f64> = line
                .split(',')
                .map(|c| c.parse().unwrap_or(f64::NAN))
                .collect();
            let (lo, hi, plo, phi) = (v[6], v[7], v[9], v[10]);
            assert!(plo < lo && lo < hi && hi < phi, "{line}");
        }
    }

    #[test]
    fn latex_uses_powers_of_ten() {
        let (_, a) = analysis(POWER, Form::Saturating);
        let tex = latex_all(&a, "N");
        assert!(
            tex.starts_with("L(N) = ") && tex.contains("\\frac{"),
            "{tex}"
        );
        assert_eq!(tex_num(6.02e23), "6.02 \\times 10^{23}");
        assert_eq!(tex_name("val_loss"), "\\mathrm{val\\_loss}");
    }
}
