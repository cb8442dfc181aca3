//! What to draw, computed from the data and the fits: a plain value, built natively and
//! tested without a browser. The drawing code only maps it to pixels.

use scalescope_core::analysis::Analysis;
use scalescope_core::backtest::{Backtest, Outcome as BacktestOutcome};
use scalescope_core::presets::{Model, Preset};
use scalescope_core::{Fit, Points};

/// Which quantity goes on the x axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum XAxis {
    /// The single input, or N for chinchilla.
    #[default]
    N,
    /// Tokens (chinchilla only).
    D,
    /// Compute C = 6ND (chinchilla only); the compute-optimal frontier is drawn.
    C,
}

/// One group's data and fit, as the plot needs them.
pub struct GroupInput<'a> {
    /// Group name (None for ungrouped data).
    pub name: Option<&'a str>,
    /// The group's observations.
    pub points: &'a Points,
    /// Source row (1-based line) of each observation, for hover text.
    pub lines: &'a [usize],
    /// Whether each observation is excluded from the fit.
    pub excluded: &'a [bool],
    /// The fit, when there is one.
    pub fit: Option<&'a Fit>,
}

/// An observation on the plot.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotPoint {
    /// Position on the x axis.
    pub x: f64,
    /// Observed y.
    pub y: f64,
    /// Index within its group's points.
    pub index: usize,
    /// Source line.
    pub line: usize,
    /// Drawn hollow, not used in the fit.
    pub excluded: bool,
    /// Observed minus fitted, when there is a fit.
    pub residual: Option<f64>,
    /// Held out by the backtest (drawn hollow): predicted by a fit of the smaller scales.
    pub held_out: bool,
}

/// A sample of a fitted curve with its 95 % confidence band.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CurvePoint {
    /// x position.
    pub x: f64,
    /// Fitted value.
    pub y: f64,
    /// Band, lower.
    pub lo: f64,
    /// Band, upper.
    pub hi: f64,
    /// 95 % prediction interval of a new run, lower.
    pub pi_lo: f64,
    /// 95 % prediction interval of a new run, upper.
    pub pi_hi: f64,
}

/// One group on the plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    /// Legend text.
    pub name: String,
    /// Palette index.
    pub color: usize,
    /// The observations.
    pub points: Vec<PlotPoint>,
    /// The fitted curve (empty without a fit).
    pub curve: Vec<CurvePoint>,
}

/// Everything the chart shows.
#[derive(Clone, Debug, PartialEq)]
pub struct PlotSpec {
    /// x axis title.
    pub x_label: String,
    /// y axis title.
    pub y_label: String,
    /// Label x majors with ML suffixes (1M, 1B) rather than 10ᵏ.
    pub x_is_scale: bool,
    /// Visible x range.
    pub x_range: (f64, f64),
    /// Visible y range.
    pub y_range: (f64, f64),
    /// The range covered by data: outside it the curve is an extrapolation.
    pub data_x: (f64, f64),
    /// The groups.
    pub series: Vec<Series>,
    /// A horizontal target line (the calculator's target loss).
    pub target_y: Option<f64>,
    /// A published law drawn over the data for comparison.
    pub overlay: Option<Overlay>,
}

/// A published law's curve on the chart (dashed, no band).
#[derive(Clone, Debug, PartialEq)]
pub struct Overlay {
    /// Legend text: the law's title and how it was placed on this axis.
    pub name: String,
    /// (x, loss) samples.
    pub curve: Vec<(f64, f64)>,
}

/// The chart for a whole analysis: every group, the curves reaching the target, and the
/// overlaid published law. The plot panel and the PNG/SVG export both draw this.
pub fn for_analysis(
    analysis: &Analysis,
    axis: XAxis,
    labels: (&str, &str),
    target: Option<f64>,
    overlay_law: Option<&Preset>,
) -> PlotSpec {
    let groups: Vec<GroupInput<'_>> = analysis
        .groups
        .iter()
        .map(|g| GroupInput {
            name: g.name.as_deref(),
            points: &g.points,
            lines: &g.lines,
            excluded: &g.excluded,
            fit: g.fit.as_ref().ok(),
        })
        .collect();
    let reach = target.and_then(|t| reach_x(analysis, axis, t));
    let mut spec = build(&groups, axis, labels, reach, target);
    spec.overlay = overlay_law.and_then(|p| overlay(p, &groups, &spec, axis));
    spec
}

/// Flags the points `backtest` held out (its groups are the analysis's, as the series are).
pub fn mark_held_out(spec: &mut PlotSpec, backtest: &Backtest) {
    for (s, g) in spec.series.iter_mut().zip(&backtest.groups) {
        let Ok(BacktestOutcome::HoldOut(f)) = &g.outcome else {
            continue;
        };
        for p in &mut s.points {
            p.held_out = f.heldout.iter().any(|h| h.index == p.index);
        }
    }
}

/// How far the curves must reach to show where they cross the target: the largest
/// required scale over the groups (for chinchilla on the C axis, the compute-optimal C).
pub fn reach_x(analysis: &Analysis, axis: XAxis, target: f64) -> Option<f64> {
    analysis
        .groups
        .iter()
        .filter_map(|g| g.fit.as_ref().ok())
        .filter_map(|f| {
            let m = Model::fitted(f);
            match (m.has_frontier(), axis) {
                (true, XAxis::C) => m.compute_for_loss(target).ok().map(|a| a.compute),
                (true, _) => None,
                _ => m.required(target).ok().map(|r| r.x),
            }
        })
        .filter(|x| x.is_finite() && *x > 0.0)
        .reduce(f64::max)
}

/// The curve of a published `law` on the chart's axis. A two-input law runs along the data's
/// median tokens-per-parameter ratio on the N and D axes (D → ∞ without D data: its N-term),
/// along its compute-optimal frontier on the C axis; a one-input law only has an N axis.
pub fn overlay(
    preset: &Preset,
    groups: &[GroupInput<'_>],
    spec: &PlotSpec,
    axis: XAxis,
) -> Option<Overlay> {
    let published = Model::published(&preset.law);
    let law = &published;
    let two = law.two_inputs();
    let ratio = median(
        groups
            .iter()
            .flat_map(|g| {
                (0..g.points.len()).filter_map(move |i| g.points.d_at(i).map(|d| d / g.points.x[i]))
            })
            .collect(),
    );
    // Without D data the chart's axis is the single input, read as N.
    let axis = if ratio.is_none() { XAxis::N } else { axis };
    let (lo, hi) = spec.x_range;
    let loss = |n: f64, d: Option<f64>| law.predict(n, d).ok().map(|p| p.loss);
    let (how, curve): (&str, Vec<(f64, f64)>) = match (axis, two, ratio) {
        (XAxis::C, true, _) => (
            "compute-optimal",
            log_grid(lo, hi)
                .filter_map(|c| law.optimal_allocation(c).ok().map(|a| (c, a.loss)))
                .collect(),
        ),
        (XAxis::C, false, _) => return None,
        (XAxis::N, true, Some(r)) => (
            "at the data's D/N",
            sample(lo, hi, |n| loss(n, Some(n * r))),
        ),
        (XAxis::D, true, Some(r)) => (
            "at the data's D/N",
            sample(lo, hi, |d| loss(d / r, Some(d))),
        ),
        (XAxis::N, true, None) => ("D → ∞", sample(lo, hi, |n| loss(n, Some(1e300)))),
        (XAxis::N, false, _) => ("", sample(lo, hi, |n| loss(n, None))),
        _ => return None,
    };
    let name = if how.is_empty() {
        format!("{} (published)", preset.title)
    } else {
        format!("{} ({how})", preset.title)
    };
    (curve.len() > 1).then_some(Overlay { name, curve })
}

fn sample(lo: f64, hi: f64, f: impl Fn(f64) -> Option<f64>) -> Vec<(f64, f64)> {
    log_grid(lo, hi)
        .filter_map(|x| f(x).filter(|y| y.is_finite() && *y > 0.0).map(|y| (x, y)))
        .collect()
}

const CURVE_SAMPLES: usize = 160;

/// x position of observation `i` on the chosen axis.
fn x_of(points: &Points, i: usize, axis: XAxis) -> f64 {
    let n = points.x.get(i).copied().unwrap_or(f64::NAN);
    let d = points.d_at(i);
    match (axis, d) {
        (XAxis::D, Some(d)) => d,
        (XAxis::C, Some(d)) => 6.0 * n * d,
        _ => n,
    }
}

fn positive_range(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite() && *v > 0.0)
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Median of positive finite values.
fn median(mut v: Vec<f64>) -> Option<f64> {
    v.retain(|x| x.is_finite() && *x > 0.0);
    scalescope_core::sort::sort_by(&mut v, f64::total_cmp);
    v.get(v.len() / 2).copied()
}

/// Builds the plot for the given groups. `reach_x` extends the curves (e.g. to the
/// calculator's required scale); `target_y` draws a horizontal line.
pub fn build(
    groups: &[GroupInput<'_>],
    axis: XAxis,
    labels: (&str, &str),
    reach_x: Option<f64>,
    target_y: Option<f64>,
) -> PlotSpec {
    let (x_name, y_label) = labels;
    let two_input = groups.iter().any(|g| g.points.d.is_some());
    let axis = if two_input { axis } else { XAxis::N };
    let data = positive_range(
        groups
            .iter()
            .flat_map(|g| (0..g.points.len()).map(move |i| x_of(g.points, i, axis))),
    );
    // Without data (a fit-only link, a published law): the scales of language-model runs.
    let fallback = match axis {
        XAxis::N => (1e7, 1e11),
        XAxis::D => (1e9, 1e13),
        XAxis::C => (1e18, 1e25),
    };
    let mut x_range = data.map_or(fallback, |(lo, hi)| (lo / 2.0, hi * 4.0));
    // No data: no extrapolation zone to shade.
    let data_x = data.unwrap_or(x_range);
    if let Some(r) = reach_x.filter(|r| r.is_finite() && *r > 0.0) {
        x_range = (x_range.0.min(r / 1.5), x_range.1.max(r * 1.5));
    }
    let series: Vec<Series> = groups
        .iter()
        .enumerate()
        .map(|(color, g)| series(g, color, axis, x_range))
        .collect();
    let ys = series.iter().flat_map(|s| {
        s.points
            .iter()
            .map(|p| p.y)
            .chain(s.curve.iter().map(|c| c.y))
    });
    let (ylo, yhi) = positive_range(ys.chain(target_y)).unwrap_or((1.0, 10.0));
    let pad = (yhi / ylo).powf(0.06).max(1.02);
    let x_label = match (two_input, axis) {
        (true, XAxis::D) => "tokens D",
        (true, XAxis::C) => "compute C = 6ND (FLOP)",
        (true, XAxis::N) => "parameters N",
        (false, _) => x_name,
    };
    PlotSpec {
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        x_is_scale: axis != XAxis::C,
        x_range,
        y_range: (ylo / pad, yhi * pad),
        data_x,
        series,
        target_y,
        overlay: None,
    }
}

/// At most this many points of a group are drawn (evenly spaced in row order): 10⁵ circles
/// take the canvas hundreds of milliseconds and are unreadable anyway. The fit uses all.
pub const MAX_DRAWN: usize = 2_000;

fn series(g: &GroupInput<'_>, color: usize, axis: XAxis, x_range: (f64, f64)) -> Series {
    let p = g.points;
    let stride = p.len().div_ceil(MAX_DRAWN).max(1);
    let points = (0..p.len())
        .step_by(stride)
        .map(|i| {
            let y = p.y.get(i).copied().unwrap_or(f64::NAN);
            let x = p.x.get(i).copied().unwrap_or(f64::NAN);
            PlotPoint {
                x: x_of(p, i, axis),
                y,
                index: i,
                line: g.lines.get(i).copied().unwrap_or(0),
                excluded: g.excluded.get(i).copied().unwrap_or(false),
                residual: g.fit.map(|f| y - f.predict(x, p.d_at(i))),
                held_out: false,
            }
        })
        .collect();
    let curve = g
        .fit
        .map(|f| curve(f, p, axis, x_range))
        .unwrap_or_default();
    let name = g.name.unwrap_or("all rows");
    let name = if stride > 1 {
        format!("{name} (every {stride}th of {} points)", p.len())
    } else {
        name.to_string()
    };
    Series {
        name,
        color,
        points,
        curve,
    }
}

fn log_grid(lo: f64, hi: f64) -> impl Iterator<Item = f64> {
    let (l0, l1) = (lo.ln(), hi.ln());
    (0..CURVE_SAMPLES).map(move |i| (l0 + (l1 - l0) * i as f64 / (CURVE_SAMPLES - 1) as f64).exp())
}

fn curve(fit: &Fit, p: &Points, axis: XAxis, (lo, hi): (f64, f64)) -> Vec<CurvePoint> {
    let keep = |c: &CurvePoint| c.y.is_finite() && c.y > 0.0;
    let model = Model::fitted(fit);
    if !model.two_inputs() {
        return log_grid(lo, hi)
            .map(|x| {
                let (blo, bhi) = fit.band95(x, None);
                let (pi_lo, pi_hi) = fit.prediction95(x, None);
                CurvePoint {
                    x,
                    y: fit.predict(x, None),
                    lo: blo,
                    hi: bhi,
                    pi_lo,
                    pi_hi,
                }
            })
            .filter(keep)
            .collect();
    }
    match axis {
        XAxis::C => log_grid(lo, hi)
            .filter_map(|c| model.optimal_allocation(c).ok())
            .map(|a| {
                let (blo, bhi) = fit.band95(a.n, Some(a.d));
                let (pi_lo, pi_hi) = fit.prediction95(a.n, Some(a.d));
                CurvePoint {
                    x: a.compute,
                    y: a.loss,
                    lo: blo,
                    hi: bhi,
                    pi_lo,
                    pi_hi,
                }
            })
            .filter(keep)
            .collect(),
        XAxis::N | XAxis::D => {
            // Along the data's median tokens-per-parameter ratio.
            let ratio = median(
                (0..p.len())
                    .filter_map(|i| p.d_at(i).map(|d| d / p.x[i]))
                    .collect(),
            )
            .unwrap_or(20.0);
            log_grid(lo, hi)
                .map(|v| {
                    let (n, d) = if axis == XAxis::N {
                        (v, v * ratio)
                    } else {
                        (v / ratio, v)
                    };
                    let (blo, bhi) = fit.band95(n, Some(d));
                    let (pi_lo, pi_hi) = fit.prediction95(n, Some(d));
                    CurvePoint {
                        x: v,
                        y: fit.predict(n, Some(d)),
                        lo: blo,
                        hi: bhi,
                        pi_lo,
                        pi_hi,
                    }
                })
                .filter(keep)
                .collect()
        }
    }
}

/// One line (and its marked points) of a small chart ([`small`]).
pub struct Line {
    /// Legend text.
    pub name: String,
    /// Marked points (x, y), drawn as dots.
    pub points: Vec<(f64, f64)>,
    /// The line (x, y), drawn without a band.
    pub curve: Vec<(f64, f64)>,
}

/// A small log-log chart of `lines` (the rolling backtest, isoFLOP profiles, a compute
/// multiplier over loss, the cost of going off-optimal): the ranges span every positive
/// finite value, with no extrapolation zone. `None` when nothing positive is left to draw.
pub fn small(x_label: &str, y_label: &str, x_is_scale: bool, lines: Vec<Line>) -> Option<PlotSpec> {
    let positive = |&(x, y): &(f64, f64)| x.is_finite() && x > 0.0 && y.is_finite() && y > 0.0;
    let series: Vec<Series> = lines
        .into_iter()
        .enumerate()
        .map(|(color, l)| Series {
            name: l.name,
            color,
            points: l
                .points
                .into_iter()
                .filter(positive)
                .enumerate()
                .map(|(index, (x, y))| PlotPoint {
                    x,
                    y,
                    index,
                    line: 0,
                    excluded: false,
                    residual: None,
                    held_out: false,
                })
                .collect(),
            curve: l
                .curve
                .into_iter()
                .filter(positive)
                .map(|(x, y)| CurvePoint {
                    x,
                    y,
                    lo: y,
                    hi: y,
                    pi_lo: y,
                    pi_hi: y,
                })
                .collect(),
        })
        .collect();
    let xs = series.iter().flat_map(|s| {
        s.points
            .iter()
            .map(|p| p.x)
            .chain(s.curve.iter().map(|c| c.x))
    });
    let ys = series.iter().flat_map(|s| {
        s.points
            .iter()
            .map(|p| p.y)
            .chain(s.curve.iter().map(|c| c.y))
    });
    let (x0, x1) = positive_range(xs)?;
    let (y0, y1) = positive_range(ys)?;
    let pad = |lo: f64, hi: f64| {
        let p = (hi / lo).powf(0.06).max(1.05);
        (lo / p, hi * p)
    };
    let x_range = pad(x0, x1);
    Some(PlotSpec {
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        x_is_scale,
        x_range,
        y_range: pad(y0, y1),
        data_x: x_range,
        series,
        target_y: None,
        overlay: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalescope_core::presets::PresetId;
    use scalescope_core::Form;
    use scalescope_core::{fit, FitOptions};

    fn kaplan_points() -> Points {
        let x: Vec<f64> = (0..8).map(|i| 1e6 * 10f64.powf(i as f64 / 2.0)).collect();
        let y = x.iter().map(|n| (8.8e13 / n).powf(0.076)).collect();
        Points::new(x, y)
    }

    #[test]
    fn spec_spans_data_and_target_and_marks_extrapolation() {
        let p = kaplan_points();
        let f = fit(&p, &FitOptions::new(Form::Power)).ok();
        let lines: Vec<usize> = (2..10).collect();
        let excluded = vec![false; 8];
        let g = [GroupInput {
            name: None,
            points: &p,
            lines: &lines,
            excluded: &excluded,
            fit: f.as_ref(),
        }];
        let spec = build(&g, XAxis::N, ("params", "loss"), Some(1e12), Some(2.0));
        assert_eq!(spec.data_x, (1e6, p.x[7]));
        assert!(
            spec.x_range.0 <= 5e5 && spec.x_range.1 >= 1.5e12,
            "{:?}",
            spec.x_range
        );
        assert!(spec.y_range.0 < 2.0, "the target is visible");
        let s = &spec.series[0];
        assert_eq!(s.name, "all rows");
        assert_eq!(s.points.len(), 8);
        assert_eq!(s.points[3].line, 5);
        // Noise-free data: residuals vanish and the curve passes through the law.
        assert!(s
            .points
            .iter()
            .all(|q| q.residual.is_some_and(|r| r.abs() < 1e-9)));
        let c = s.curve[80];
        assert!((c.y / (8.8e13 / c.x).powf(0.076) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn large_groups_are_thinned_for_drawing() {
        let x: Vec<f64> = (0..10_000).map(|i| 1e6 + i as f64).collect();
        let y = vec![3.0; 10_000];
        let p = Points::new(x, y);
        let g = [GroupInput {
            name: Some("big"),
            points: &p,
            lines: &[],
            excluded: &[],
            fit: None,
        }];
        let spec = build(&g, XAxis::N, ("x", "loss"), None, None);
        assert_eq!(spec.series[0].points.len(), MAX_DRAWN);
        assert!(spec.series[0].name.contains("every 5th of 10000"));
    }

    #[test]
    fn kaplan_overlay_follows_its_law() {
        let p = kaplan_points();
        let g = [GroupInput {
            name: None,
            points: &p,
            lines: &[],
            excluded: &[],
            fit: None,
        }];
        let spec = build(&g, XAxis::N, ("params", "loss"), None, None);
        let o =
            overlay(&PresetId::Kaplan2020N.preset(), &g, &spec, XAxis::C).expect("an overlay on N");
        let (n, l) = o.curve[10];
        assert!((l / (8.8e13 / n).powf(0.076) - 1.0).abs() < 1e-12);
        // Epoch on one-input data: its N-term, E + A/N^alpha.
        let e = overlay(&PresetId::Epoch2024.preset(), &g, &spec, XAxis::N).expect("Epoch overlay");
        assert!(e.name.contains("D → ∞"));
        let (n, l) = e.curve[0];
        assert!((l - (1.8169 + 482.01 * n.powf(-0.3478))).abs() < 1e-9);
    }

    #[test]
    fn without_data_the_range_is_that_of_language_models() {
        let p = Points::new(vec![], vec![]);
        let g = [GroupInput {
            name: None,
            points: &p,
            lines: &[],
            excluded: &[],
            fit: None,
        }];
        let spec = build(&g, XAxis::N, ("N", "loss"), None, None);
        assert_eq!(spec.x_range, (1e7, 1e11));
        assert_eq!(spec.data_x, spec.x_range, "nothing shaded as extrapolation");
    }

    #[test]
    fn the_backtest_marks_the_k_largest_scales_of_each_group() {
        use scalescope_core::analysis::{analyze, AnalysisOptions};
        use scalescope_core::backtest::{HoldOut, Mode};
        use scalescope_core::table::{read_table, ReadOptions};
        // Two groups, rows out of order; b has its largest x twice (one scale, two points).
        let text = "N,loss,group\n1e6,4.1,a\n1e9,2.3,a\n1e7,3.4,a\n1e8,2.8,a\n1e10,1.95,a\n\
                    1e6,4.3,b\n1e7,3.5,b\n1e8,2.9,b\n1e9,2.45,b\n1e9,2.4,b\n";
        let table = read_table(text, &ReadOptions::new()).expect("a table");
        let options = AnalysisOptions::default();
        let analysis = analyze(&table, &options);
        let b = Backtest::new(
            Some(&table),
            &analysis,
            &options.fit_options(),
            Mode::HoldOut(HoldOut::Top(2)),
        );
        let mut spec = for_analysis(&analysis, XAxis::N, ("N", "loss"), None, None);
        assert!(spec
            .series
            .iter()
            .flat_map(|s| &s.points)
            .all(|p| !p.held_out));
        mark_held_out(&mut spec, &b);
        let held = |s: &Series| -> Vec<f64> {
            s.points
                .iter()
                .filter(|p| p.held_out)
                .map(|p| p.x)
                .collect()
        };
        assert_eq!(held(&spec.series[0]), [1e9, 1e10]);
        assert_eq!(held(&spec.series[1]), [1e8, 1e9, 1e9]);
        // Off again: nothing is marked.
        let spec = for_analysis(&analysis, XAxis::N, ("N", "loss"), None, None);
        assert!(spec
            .series
            .iter()
            .flat_map(|s| &s.points)
            .all(|p| !p.held_out));
    }

    #[test]
    fn a_small_chart_spans_its_positive_values_only() {
        let spec = small(
            "k",
            "compute",
            false,
            vec![Line {
                name: "fit".into(),
                points: vec![(1.0, 1.0), (0.0, 5.0)],
                curve: vec![(0.25, 1.4), (4.0, 1.2), (2.0, f64::NAN)],
            }],
        )
        .expect("positive values");
        let s = &spec.series[0];
        assert_eq!(s.points.len(), 1);
        assert_eq!(s.curve.len(), 2);
        let (x0, x1) = spec.x_range;
        assert!(x0 < 0.25 && 0.2 < x0 && x1 > 4.0 && x1 < 5.0, "{x0} {x1}");
        let (y0, y1) = spec.y_range;
        assert!(y0 < 1.0 && y1 > 1.4 && y1 < 1.6, "{y0} {y1}");
        assert!(small("x", "y", false, vec![]).is_none());
    }
}
