//! The backtest as JSON, the shape `scalescope backtest --json` prints:
//!
//! ```text
//! {"form", "objective", "scale": "x" | "compute",
//!  "mode": {"holdout_top": K} | {"holdout_above": X} | "rolling",
//!  "groups": [{"group", "fitted", "largest_fitted", "params": {…},
//!              "heldout": [{"line", "x", ("d", "compute",) "observed", "predicted",
//!                           "pi95": [lo, hi] | null, "rel_error", "inside": bool | null}],
//!              "mean_abs_rel_error", "coverage"}
//!           | {"group", "rolling": [{"scales_used", "used", "largest_used", "next_x",
//!                                    "next_x_largest", "abs_rel_error", "coverage",
//!                                    "heldout": […]}
//!                                   | {"scales_used", "used", "largest_used", "next_x",
//!                                      "next_x_largest", "error"}]}
//!           | {"group", "error"}],
//!  "skipped": […], "warnings": […]}
//! ```
//!
//! Scales (`largest_fitted`, `largest_used`, `next_x`) are x for a one-input law and the
//! compute `6·N·D` for a law of N and D (`"scale"` says which); `d` and `compute` appear for
//! a law of N and D only. Non-finite numbers (a coverage without any prediction interval)
//! are `null`.

use super::json::{num, pair, skipped, text, warnings, J};
use crate::backtest::{
    scale_name, Backtest, Forecast, GroupBacktest, HeldOutPoint, HoldOut, Mode, Outcome,
};

/// The backtest as JSON (see the module docs), pretty-printed with a final newline.
pub fn backtest_json(b: &Backtest) -> String {
    let mode = match b.mode {
        Mode::HoldOut(HoldOut::Top(k)) => J::Obj(vec![("holdout_top", J::Int(k))]),
        Mode::HoldOut(HoldOut::Above(x)) => J::Obj(vec![("holdout_above", num(x))]),
        Mode::Rolling => text("rolling"),
    };
    let names = b.form.param_names();
    J::Obj(vec![
        ("form", text(b.form.name())),
        ("objective", text(b.objective.to_string())),
        ("scale", text(scale_name(b.form))),
        ("mode", mode),
        (
            "groups",
            J::Arr(b.groups.iter().map(|g| group(g, &names)).collect()),
        ),
        ("skipped", skipped(&b.skipped)),
        ("warnings", warnings(&b.warnings)),
    ])
    .pretty()
}

fn group(g: &GroupBacktest, names: &[&str]) -> J {
    let mut fields = vec![("group", g.group.as_deref().map_or(J::Null, text))];
    match &g.outcome {
        Ok(Outcome::HoldOut(f)) => {
            fields.push(("fitted", J::Int(f.fitted)));
            fields.push(("largest_fitted", num(f.largest_fitted)));
            fields.push((
                "params",
                J::Map(
                    names
                        .iter()
                        .zip(&f.fit.params)
                        .map(|(n, &v)| (n.to_string(), num(v)))
                        .collect(),
                ),
            ));
            fields.push(("heldout", heldout(f, &g.lines)));
            fields.push(("mean_abs_rel_error", num(f.mean_abs_rel_error)));
            fields.push(("coverage", num(f.coverage)));
        }
        Ok(Outcome::Rolling(steps)) => {
            let steps = steps
                .iter()
                .map(|s| {
                    let mut fields = vec![
                        ("scales_used", J::Int(s.scales_used)),
                        ("used", J::Int(s.used)),
                        ("largest_used", num(s.largest_used)),
                        ("next_x", num(s.next_scale)),
                        ("next_x_largest", num(s.next_largest)),
                    ];
                    match &s.forecast {
                        Ok(f) => fields.extend([
                            ("abs_rel_error", num(f.mean_abs_rel_error)),
                            ("coverage", num(f.coverage)),
                            ("heldout", heldout(f, &g.lines)),
                        ]),
                        Err(e) => fields.push(("error", text(e.to_string()))),
                    }
                    J::Obj(fields)
                })
                .collect();
            fields.push(("rolling", J::Arr(steps)));
        }
        Err(e) => fields.push(("error", text(e.to_string()))),
    }
    J::Obj(fields)
}

fn heldout(f: &Forecast, lines: &[usize]) -> J {
    J::Arr(f.heldout.iter().map(|p| point(p, lines)).collect())
}

fn point(p: &HeldOutPoint, lines: &[usize]) -> J {
    let mut fields = vec![
        ("line", lines.get(p.index).map_or(J::Null, |&l| J::Int(l))),
        ("x", num(p.x)),
    ];
    if let Some(d) = p.d {
        fields.push(("d", num(d)));
        fields.push(("compute", num(p.scale)));
    }
    fields.extend([
        ("observed", num(p.observed)),
        ("predicted", num(p.predicted)),
        ("pi95", p.pi95.map_or(J::Null, pair)),
        ("rel_error", num(p.rel_error)),
        ("inside", p.inside.map_or(J::Null, J::Bool)),
    ]);
    J::Obj(fields)
}
