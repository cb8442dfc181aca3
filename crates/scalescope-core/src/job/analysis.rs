//! Analysis options, fits and fitting errors in worker messages. Every enum has its tag
//! table here (a `const` array, or written out both ways). The readers are straight-line: a
//! problem is kept by the reader, not returned from each field (see `In`).

use super::wire::{In, Out};
use crate::analysis::{Analysis, AnalysisOptions, GroupFit};
use crate::share::codec::{fit_choices, objective, pins, tag_of, write_form};
use crate::{
    Column, Fit, FitError, FitMode, Lines, Metrics, Objective, Points, SeMethod, Space, Termination,
};
use nalgebra::DMatrix;

/// Roughly the bytes [`write_analysis`] makes, to size the buffer once.
pub(super) fn size_hint(a: &Analysis) -> usize {
    a.groups
        .iter()
        .map(|g| g.points.x.len() * (8 * 4 + 3) + 512)
        .sum()
}

pub(super) fn write_options(w: &mut Out, o: &AnalysisOptions) {
    fit_choices(w, o.form, o.objective, o.mode, o.per_group);
    w.lines(o.excluded_lines.as_slice());
    pins(w, &o.fixed);
}

pub(super) fn read_options(r: &mut In<'_>) -> AnalysisOptions {
    let form = r.form();
    let objective = r.option("objective").then(|| read_objective(r));
    let mode = match r.tag("fit mode", 2) {
        0 => FitMode::Default,
        _ => FitMode::Grid,
    };
    let per_group = r.bool();
    let excluded_lines = Lines::from_increasing(r.lines()).unwrap_or_else(|| {
        r.invalid("excluded lines are not in increasing order");
        Lines::new()
    });
    let n_fixed = r.count(9);
    let fixed = r.list(n_fixed, |r| (r.string(), r.f64()));
    AnalysisOptions {
        form,
        objective,
        mode,
        per_group,
        excluded_lines,
        fixed,
    }
}

pub(super) fn write_analysis(w: &mut Out, a: &Analysis) {
    w.usize(a.groups.len());
    for g in &a.groups {
        w.opt_str(g.name.as_deref());
        w.f64s(&g.points.x);
        w.opt_f64s(g.points.d.as_deref());
        w.f64s(&g.points.y);
        w.opt_f64s(g.points.weights.as_deref());
        w.lines(&g.lines);
        w.usize(g.excluded.len());
        for e in &g.excluded {
            w.bool(*e);
        }
        match &g.fit {
            Ok(f) => {
                w.u8(0);
                write_fit(w, f);
            }
            Err(e) => {
                w.u8(1);
                write_fit_error(w, e);
            }
        }
    }
}

pub(super) fn read_analysis(r: &mut In<'_>) -> Analysis {
    let n = r.count(8);
    Analysis {
        groups: r.list(n, read_group),
    }
}

fn read_group(r: &mut In<'_>) -> GroupFit {
    GroupFit {
        name: r.opt_string(),
        points: Points {
            x: r.f64s(),
            d: r.opt_f64s(),
            y: r.f64s(),
            weights: r.opt_f64s(),
        },
        lines: r.lines(),
        excluded: {
            let n = r.count(1);
            r.list(n, In::bool)
        },
        fit: match r.tag("fit result", 2) {
            0 => Ok(read_fit(r)),
            _ => Err(read_fit_error(r)),
        },
    }
}

fn write_fit(w: &mut Out, f: &Fit) {
    write_form(w, f.form);
    objective(w, f.objective);
    w.f64s(&f.params);
    w.usize(f.pinned.len());
    for p in &f.pinned {
        w.bool(*p);
    }
    w.f64s(&f.stderr);
    w.usize(f.ci95.len());
    for (lo, hi) in &f.ci95 {
        w.f64(*lo);
        w.f64(*hi);
    }
    match &f.covariance {
        None => w.u8(0),
        Some(c) => {
            w.u8(1);
            w.usize(c.nrows());
            w.usize(c.ncols());
            for v in c.as_slice() {
                w.f64(*v);
            }
        }
    }
    let m = &f.metrics;
    w.usize(m.n);
    w.usize(m.dof);
    for v in [
        m.objective,
        m.sse,
        m.rmse,
        m.ser,
        m.r2,
        m.r2_raw,
        m.aic,
        m.bic,
    ] {
        w.f64(v);
    }
    w.u8(match m.r2_space {
        Space::Linear => 0,
        Space::Log => 1,
    });
    termination(w, &f.termination);
    w.usize(f.warnings.len());
    for s in &f.warnings {
        w.str(s);
    }
    match &f.start {
        None => w.u8(0),
        Some(s) => {
            w.u8(1);
            w.f64s(s);
        }
    }
    match f.se_method {
        SeMethod::Ols => w.u8(0),
        SeMethod::Sandwich => w.u8(1),
        SeMethod::SandwichSmoothed { inside } => {
            w.u8(2);
            w.usize(inside);
        }
    }
}

fn read_fit(r: &mut In<'_>) -> Fit {
    let form = r.form();
    let objective = read_objective(r);
    let params = r.f64s();
    let n_pinned = r.count(1);
    let pinned = r.list(n_pinned, In::bool);
    let stderr = r.f64s();
    let n_ci = r.count(16);
    let ci95 = r.list(n_ci, |r| (r.f64(), r.f64()));
    let covariance = r.option("covariance").then(|| {
        let (rows, cols) = (r.usize(), r.usize());
        match rows.checked_mul(cols) {
            Some(n) if n.saturating_mul(8) <= r.remaining() => {
                DMatrix::from_vec(rows, cols, r.list(n, In::f64))
            }
            _ => {
                r.truncated();
                DMatrix::zeros(0, 0)
            }
        }
    });
    let (n, dof) = (r.usize(), r.usize());
    let mut v = [0.0; 8];
    for x in &mut v {
        *x = r.f64();
    }
    let [objective_value, sse, rmse, ser, r2, r2_raw, aic, bic] = v;
    let r2_space = match r.tag("residual space", 2) {
        0 => Space::Linear,
        _ => Space::Log,
    };
    let termination = read_termination(r);
    let n_warnings = r.count(1);
    let warnings = r.list(n_warnings, In::string);
    let start = r.option("start").then(|| r.f64s());
    let se_method = match r.tag("standard-error method", 3) {
        0 => SeMethod::Ols,
        1 => SeMethod::Sandwich,
        _ => SeMethod::SandwichSmoothed { inside: r.usize() },
    };
    Fit {
        se_method,
        start,
        form,
        objective,
        params,
        pinned,
        stderr,
        ci95,
        covariance,
        metrics: Metrics {
            n,
            dof,
            objective: objective_value,
            sse,
            rmse,
            ser,
            r2,
            r2_space,
            r2_raw,
            aic,
            bic,
        },
        termination,
        warnings,
    }
}

/// Why an optimiser stopped ([`crate::termination::Parts`]), the text as a string.
fn termination(w: &mut Out, t: &Termination) {
    let parts = t.parts();
    w.u8(parts.tag);
    if let Some(text) = parts.text {
        w.str(text);
    }
    if let Some(iterations) = parts.iterations {
        w.usize(iterations);
    }
}

fn read_termination(r: &mut In<'_>) -> Termination {
    let tag = r.tag("termination", crate::termination::TAGS);
    let (has_text, has_iterations) = Termination::fields_of(tag);
    let text = if has_text { r.static_str() } else { "" };
    let iterations = if has_iterations { r.usize() } else { 0 };
    Termination::from_parts(tag, text, iterations)
}

fn write_fit_error(w: &mut Out, e: &FitError) {
    match e {
        FitError::LengthMismatch {
            column,
            expected,
            len,
        } => {
            w.u8(0);
            w.u8(tag_of(&COLUMNS, column));
            w.usize(*expected);
            w.usize(*len);
        }
        FitError::MissingD => w.u8(1),
        FitError::TooFewPoints { n, params } => {
            w.u8(2);
            w.usize(*n);
            w.usize(*params);
        }
        FitError::NonFinite { index, column } => {
            w.u8(3);
            w.usize(*index);
            w.u8(tag_of(&COLUMNS, column));
        }
        FitError::NonPositive {
            index,
            column,
            value,
        } => {
            w.u8(4);
            w.usize(*index);
            w.u8(tag_of(&COLUMNS, column));
            w.f64(*value);
        }
        FitError::BadWeight { index, value } => {
            w.u8(5);
            w.usize(*index);
            w.f64(*value);
        }
        FitError::ConstantInput { column } => {
            w.u8(6);
            w.u8(tag_of(&COLUMNS, column));
        }
        FitError::BadDelta(delta) => {
            w.u8(7);
            w.f64(*delta);
        }
        FitError::NoFiniteStart => w.u8(8),
        FitError::GridUnavailable => w.u8(9),
        FitError::Dimension { expected, got } => {
            w.u8(10);
            w.usize(*expected);
            w.usize(*got);
        }
        FitError::UnknownParam { name, form } => {
            w.u8(11);
            w.str(name);
            write_form(w, *form);
        }
        FitError::BadPin {
            name,
            value,
            positive,
        } => {
            w.u8(12);
            w.str(name);
            w.f64(*value);
            w.bool(*positive);
        }
        FitError::TooFewDistinct {
            distinct,
            params,
            pairs,
        } => {
            w.u8(13);
            w.usize(*distinct);
            w.usize(*params);
            w.u8(u8::from(*pairs));
        }
        FitError::Undefined {
            index,
            value,
            params,
        } => {
            w.u8(14);
            w.usize(*index);
            w.f64(*value);
            w.str(params);
        }
    }
}

fn read_fit_error(r: &mut In<'_>) -> FitError {
    match r.tag("fitting error", 15) {
        0 => FitError::LengthMismatch {
            column: r.pick(&COLUMNS, "point column"),
            expected: r.usize(),
            len: r.usize(),
        },
        1 => FitError::MissingD,
        2 => FitError::TooFewPoints {
            n: r.usize(),
            params: r.usize(),
        },
        3 => FitError::NonFinite {
            index: r.usize(),
            column: r.pick(&COLUMNS, "point column"),
        },
        4 => FitError::NonPositive {
            index: r.usize(),
            column: r.pick(&COLUMNS, "point column"),
            value: r.f64(),
        },
        5 => FitError::BadWeight {
            index: r.usize(),
            value: r.f64(),
        },
        6 => FitError::ConstantInput {
            column: r.pick(&COLUMNS, "point column"),
        },
        7 => FitError::BadDelta(r.f64()),
        8 => FitError::NoFiniteStart,
        9 => FitError::GridUnavailable,
        10 => FitError::Dimension {
            expected: r.usize(),
            got: r.usize(),
        },
        11 => FitError::UnknownParam {
            name: r.string(),
            form: r.form(),
        },
        12 => FitError::BadPin {
            name: r.string(),
            value: r.f64(),
            positive: r.bool(),
        },
        13 => FitError::TooFewDistinct {
            distinct: r.usize(),
            params: r.usize(),
            pairs: r.tag("input kind", 2) == 1,
        },
        _ => FitError::Undefined {
            index: r.usize(),
            value: r.f64(),
            params: r.string(),
        },
    }
}

/// Point-column tags.
const COLUMNS: [Column; 4] = [Column::X, Column::D, Column::Y, Column::Weight];

fn read_objective(r: &mut In<'_>) -> Objective {
    match r.tag("objective", 5) {
        0 => Objective::Ls,
        1 => Objective::LsLog,
        2 => Objective::Huber { delta: r.f64() },
        3 => Objective::HuberLog { delta: r.f64() },
        _ => Objective::AsymLog { lambda: r.f64() },
    }
}
