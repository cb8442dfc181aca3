//! The chart as a table, for screen readers and for anyone who wants the numbers: a row per
//! observation the chart draws, with the fitted value at it; for a group drawn without
//! observations (a fit-only link), its fitted curve at a few points with the 95 % band.
//! Built from the [`PlotSpec`], so the table and the chart cannot disagree.

use super::spec::PlotSpec;

/// A group without observations lists every this-many-th sample of its curve.
const CURVE_STRIDE: usize = 16;

/// One row of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The group (legend text).
    pub group: String,
    /// Source line of an observation (None for a sample of the curve).
    pub line: Option<usize>,
    /// Position on the chart's x axis.
    pub x: f64,
    /// The observed value (None for a sample of the curve).
    pub observed: Option<f64>,
    /// The fitted value at `x` (None without a fit).
    pub fitted: Option<f64>,
    /// The 95 % confidence band at `x` (curve samples only).
    pub band: Option<(f64, f64)>,
    /// Left out of the fit.
    pub excluded: bool,
    /// Held out by the backtest.
    pub held_out: bool,
}

/// The rows for `spec`, group by group in the chart's order.
pub fn rows(spec: &PlotSpec) -> Vec<Row> {
    let mut out = Vec::new();
    for s in &spec.series {
        out.extend(s.points.iter().map(|p| Row {
            group: s.name.clone(),
            line: Some(p.line),
            x: p.x,
            observed: Some(p.y),
            fitted: p.residual.map(|r| p.y - r),
            band: None,
            excluded: p.excluded,
            held_out: p.held_out,
        }));
        if s.points.is_empty() {
            let last = s.curve.len().saturating_sub(1);
            out.extend(
                s.curve
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % CURVE_STRIDE == 0 || *i == last)
                    .map(|(_, c)| Row {
                        group: s.name.clone(),
                        line: None,
                        x: c.x,
                        observed: None,
                        fitted: Some(c.y),
                        band: Some((c.lo, c.hi)),
                        excluded: false,
                        held_out: false,
                    }),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plot::spec::{build, GroupInput, XAxis};
    use scalescope_core::{fit, FitOptions, Form, Points};

    /// The table's fitted values are the law's at each observation (not the curve's nearest
    /// sample), and excluded rows say so.
    #[test]
    fn rows_hold_each_observation_with_the_laws_value() {
        // y = 2 + 50 x^-0.3 exactly, then one point moved off the law and left out.
        let x: Vec<f64> = (0..6).map(|i| 10f64.powi(i + 2)).collect();
        let mut y: Vec<f64> = x.iter().map(|v| 2.0 + 50.0 * v.powf(-0.3)).collect();
        y[5] += 1.0;
        let p = Points::new(x.clone(), y.clone());
        let mut clean = p.clone();
        clean.x.pop();
        clean.y.pop();
        let f = fit(&clean, &FitOptions::new(Form::Saturating)).ok();
        let lines: Vec<usize> = (2..8).collect();
        let excluded = [false, false, false, false, false, true];
        let g = [GroupInput {
            name: Some("runs"),
            points: &p,
            lines: &lines,
            excluded: &excluded,
            fit: f.as_ref(),
        }];
        let spec = build(&g, XAxis::N, ("N", "loss"), None, None);
        let rows = rows(&spec);
        assert_eq!(rows.len(), 6);
        for (i, r) in rows.iter().enumerate() {
            let law = 2.0 + 50.0 * x[i].powf(-0.3);
            assert_eq!((r.group.as_str(), r.line, r.x), ("runs", Some(i + 2), x[i]));
            assert_eq!(r.observed, Some(y[i]));
            let fitted = r.fitted.unwrap_or(f64::NAN);
            assert!(
                (fitted / law - 1.0).abs() < 1e-6,
                "row {i}: {fitted} vs {law}"
            );
            assert_eq!(r.excluded, i == 5);
        }
    }

    /// A group with a fit but no observations (a fit-only link) lists its curve with the band.
    #[test]
    fn a_group_without_data_lists_its_curve() {
        let x: Vec<f64> = (0..6).map(|i| 10f64.powi(i + 2)).collect();
        let y: Vec<f64> = x.iter().map(|v| 50.0 * v.powf(-0.3)).collect();
        let f = fit(&Points::new(x, y), &FitOptions::new(Form::Power)).ok();
        let empty = Points::new(vec![], vec![]);
        let g = [GroupInput {
            name: None,
            points: &empty,
            lines: &[],
            excluded: &[],
            fit: f.as_ref(),
        }];
        let spec = build(&g, XAxis::N, ("N", "loss"), None, None);
        let rows = rows(&spec);
        let n = spec.series[0].curve.len();
        let listed = (0..n)
            .filter(|i| i % CURVE_STRIDE == 0 || *i == n - 1)
            .count();
        assert!(n > 100 && rows.len() == listed, "{} of {n}", rows.len());
        for r in &rows {
            assert_eq!((r.line, r.observed), (None, None));
            let fitted = r.fitted.unwrap_or(f64::NAN);
            assert!((fitted / (50.0 * r.x.powf(-0.3)) - 1.0).abs() < 1e-6);
            let (lo, hi) = r.band.unwrap_or((f64::NAN, f64::NAN));
            assert!(lo <= fitted && fitted <= hi, "{lo} {fitted} {hi}");
        }
        assert_eq!(
            rows.last().map(|r| r.x),
            spec.series[0].curve.last().map(|c| c.x)
        );
    }
}
