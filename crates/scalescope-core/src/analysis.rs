//! One fit per group of a table, with excluded points: what the page and the CLI show.

use std::collections::HashMap;

use crate::table::{Cell, Role, Table};
use crate::{fit, Fit, FitError, FitMode, FitOptions, Form, Lines, Objective, Points};

/// How to fit a table.
#[derive(Clone, Debug, PartialEq)]
pub struct AnalysisOptions {
    /// The law.
    pub form: Form,
    /// The objective; `None` is the form's default.
    pub objective: Option<Objective>,
    /// Default or grid search.
    pub mode: FitMode,
    /// Fit each group separately (`true`) or all rows as one group.
    pub per_group: bool,
    /// Source lines (1-based) left out of the fits; their points stay in the result.
    pub excluded_lines: Lines,
    /// Parameters held at a value in every group's fit (name, value).
    pub fixed: Vec<(String, f64)>,
}

impl Default for AnalysisOptions {
    fn default() -> Self {
        AnalysisOptions {
            form: Form::Power,
            objective: None,
            mode: FitMode::Default,
            per_group: true,
            excluded_lines: Lines::new(),
            fixed: Vec::new(),
        }
    }
}

impl AnalysisOptions {
    /// The options every group's fit runs with.
    pub fn fit_options(&self) -> FitOptions {
        let mut fit_options = FitOptions::new(self.form).with_mode(self.mode);
        if let Some(o) = self.objective {
            fit_options = fit_options.with_objective(o);
        }
        fit_options.fixed = self.fixed.clone();
        fit_options
    }
}

/// One group: its points (all of them, excluded too) and its fit.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupFit {
    /// The group's value, `None` without a group column (or with `per_group` off).
    pub name: Option<String>,
    /// Every usable row of the group.
    pub points: Points,
    /// The 1-based source line of each point.
    pub lines: Vec<usize>,
    /// Whether each point is left out of the fit.
    pub excluded: Vec<bool>,
    /// The fit of the points that are not excluded.
    pub fit: Result<Fit, FitError>,
}

impl GroupFit {
    /// The points the fit used (those not excluded), as the bootstrap resamples them.
    pub fn fitted_points(&self) -> Points {
        fitted(&self.points, &self.excluded)
    }
}

fn fitted(points: &Points, excluded: &[bool]) -> Points {
    let mask: Vec<bool> = excluded.iter().map(|e| !e).collect();
    keep(points, &mask)
}

/// The fits of every group of a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// Groups in order of first appearance.
    pub groups: Vec<GroupFit>,
}

/// The group key of each usable row, in row order (same rule as [`Table::groups`]).
fn usable_lines_by_group(table: &Table) -> Vec<(Option<String>, usize)> {
    let group_col = table.roles().iter().position(|r| *r == Role::Group);
    table
        .rows()
        .filter(|r| r.usable)
        .map(|r| {
            let key = group_col.map(|g| match r.cells.get(g) {
                Some(Cell::Text(t)) => t.to_string(),
                Some(other) => other.to_string(),
                None => String::new(),
            });
            (key, r.line)
        })
        .collect()
}

/// Each group with the source lines of its points: one pass over the rows, a map from
/// group key to group (linear, where comparing every row with every group was quadratic:
/// 10¹⁰ comparisons for 10⁵ groups).
fn with_lines(
    groups: Vec<(Option<String>, Points)>,
    keyed: Vec<(Option<String>, usize)>,
) -> Vec<(Option<String>, Points, Vec<usize>)> {
    let index: HashMap<Option<&str>, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, (name, _))| (name.as_deref(), i))
        .collect();
    let mut lines: Vec<Vec<usize>> = groups
        .iter()
        .map(|(_, p)| Vec::with_capacity(p.len()))
        .collect();
    for (key, line) in &keyed {
        if let Some(&i) = index.get(&key.as_deref()) {
            lines[i].push(*line);
        }
    }
    groups
        .into_iter()
        .zip(lines)
        .map(|((name, points), lines)| (name, points, lines))
        .collect()
}

fn keep(p: &Points, mask: &[bool]) -> Points {
    let pick = |v: &Vec<f64>| {
        v.iter()
            .zip(mask)
            .filter(|(_, k)| **k)
            .map(|(x, _)| *x)
            .collect()
    };
    Points {
        x: pick(&p.x),
        d: p.d.as_ref().map(pick),
        y: pick(&p.y),
        weights: p.weights.as_ref().map(pick),
    }
}

/// All groups as one, in source-line order.
fn merge(
    groups: Vec<(Option<String>, Points, Vec<usize>)>,
) -> (Option<String>, Points, Vec<usize>) {
    let mut all = Points {
        x: vec![],
        d: None,
        y: vec![],
        weights: None,
    };
    let mut lines = vec![];
    let any_d = groups.iter().any(|(_, p, _)| p.d.is_some());
    let any_w = groups.iter().any(|(_, p, _)| p.weights.is_some());
    for (_, p, l) in groups {
        let n = p.x.len();
        all.x.extend(&p.x);
        if any_d {
            let d = p.d.unwrap_or_else(|| vec![f64::NAN; n]);
            all.d.get_or_insert_with(Vec::new).extend(d);
        }
        all.y.extend(&p.y);
        if any_w {
            let w = p.weights.unwrap_or_else(|| vec![1.0; n]);
            all.weights.get_or_insert_with(Vec::new).extend(w);
        }
        lines.extend(l);
    }
    let mut order: Vec<usize> = (0..lines.len()).collect();
    crate::sort::sort_by_key(&mut order, |&i| lines[i]);
    let permute = |v: &[f64]| {
        order
            .iter()
            .filter_map(|&i| v.get(i).copied())
            .collect::<Vec<f64>>()
    };
    let points = Points {
        x: permute(&all.x),
        d: all.d.as_deref().map(permute),
        y: permute(&all.y),
        weights: all.weights.as_deref().map(permute),
    };
    let lines = order
        .iter()
        .filter_map(|&i| lines.get(i).copied())
        .collect();
    (None, points, lines)
}

/// Fits every group of `table` under `options`.
pub fn analyze(table: &Table, options: &AnalysisOptions) -> Analysis {
    let mut groups: Vec<(Option<String>, Points, Vec<usize>)> =
        with_lines(table.groups(), usable_lines_by_group(table));
    if !options.per_group && groups.len() > 1 {
        groups = vec![merge(groups)];
    }
    let fit_options = options.fit_options();
    let groups = groups
        .into_iter()
        .map(|(name, points, lines)| {
            let excluded: Vec<bool> = lines
                .iter()
                .map(|&l| options.excluded_lines.contains(l))
                .collect();
            let fit = fit(&fitted(&points, &excluded), &fit_options);
            GroupFit {
                name,
                points,
                lines,
                excluded,
                fit,
            }
        })
        .collect();
    Analysis { groups }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::{read_table, ReadOptions};

    fn table(text: &str) -> Table {
        match read_table(text, &ReadOptions::new()) {
            Ok(t) => t,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn groups_keep_their_lines_and_exclusions() {
        let t = table("family,params,loss\na,1e6,4.0\nb,1e6,5.0\na,1e7,3.0\n# note\na,1e8,2.3\nb,1e7,4.1\nb,1e8,3.4\n");
        let options = AnalysisOptions {
            excluded_lines: [4].into(),
            ..AnalysisOptions::default()
        };
        let a = analyze(&t, &options);
        assert_eq!(a.groups.len(), 2);
        assert_eq!(a.groups[0].name.as_deref(), Some("a"));
        assert_eq!(a.groups[0].lines, vec![2, 4, 6]);
        assert_eq!(a.groups[0].excluded, vec![false, true, false]);
        assert_eq!(a.groups[1].lines, vec![3, 7, 8]);
        // Group a is fitted on lines 2 and 6 only: the power law through (1e6, 4) and (1e8, 2.3).
        let b = a.groups[0]
            .fit
            .as_ref()
            .map(|f| f.params[1])
            .unwrap_or(f64::NAN);
        assert!(
            (b - (2.3f64 / 4.0).ln() / 100f64.ln()).abs() < 1e-12,
            "b = {b}"
        );
    }

    #[test]
    fn groups_keep_first_appearance_order_and_their_lines() {
        // Text and numeric group names interleaved, a skipped row, a comment: each group
        // gets exactly its rows' lines, groups in order of first appearance.
        let t = table(
            "family,params,loss\nb,1e6,5.0\n7,1e6,4.5\na,1e6,4.0\nb,1e7,4.1\n# note\n\
             a,n/a,3.0\n7,1e7,3.9\na,1e7,3.1\nb,1e8,3.4\n7,1e8,3.2\na,1e8,2.3\n",
        );
        let a = analyze(&t, &AnalysisOptions::default());
        let got: Vec<(Option<&str>, &[usize], &[f64])> = a
            .groups
            .iter()
            .map(|g| (g.name.as_deref(), &g.lines[..], &g.points.y[..]))
            .collect();
        let want: Vec<(Option<&str>, &[usize], &[f64])> = vec![
            (Some("b"), &[2, 5, 10], &[5.0, 4.1, 3.4]),
            (Some("7"), &[3, 8, 11], &[4.5, 3.9, 3.2]),
            (Some("a"), &[4, 9, 12], &[4.0, 3.1, 2.3]),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn a_hundred_thousand_unique_groups_take_linear_time() {
        // Each row its own group: comparing every row with every group was 10¹⁰ string
        // comparisons (about 25 s); one map lookup per row is well under a second.
        let mut text = String::from("model,params,loss\n");
        for k in 0..100_000 {
            text += &format!("m{k},1e6,4\n");
        }
        let t = table(&text);
        let start = std::time::Instant::now();
        let a = analyze(&t, &AnalysisOptions::default());
        let elapsed = start.elapsed();
        assert_eq!(a.groups.len(), 100_000);
        assert_eq!(a.groups[99_999].name.as_deref(), Some("m99999"));
        assert_eq!(a.groups[99_999].lines, vec![100_001]);
        assert!(elapsed < std::time::Duration::from_secs(5), "{elapsed:?}");
    }

    #[test]
    fn one_group_when_not_per_group() {
        let t = table("family,params,loss\na,1e6,4.0\nb,1e7,3.0\na,1e8,2.3\n");
        let a = analyze(
            &t,
            &AnalysisOptions {
                per_group: false,
                ..AnalysisOptions::default()
            },
        );
        assert_eq!(a.groups.len(), 1);
        assert_eq!(a.groups[0].lines, vec![2, 3, 4]);
        assert!(a.groups[0].fit.is_ok());
    }
}
