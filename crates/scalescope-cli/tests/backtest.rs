//! `scalescope backtest`: the JSON's shape and values (equal to the core's backtest of the
//! same points), the readable table, the rolling mode, a law of N and D held out by
//! compute, and errors that name the group.

mod common;

use common::{core_data, json, run, stderr, stdout};
use scalescope_core::backtest::{holdout, rolling, Forecast, HoldOut};
use scalescope_core::{FitOptions, Form, Objective, Points};
use serde_json::Value;
use std::path::PathBuf;

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

/// The numeric columns of a CSV with a header.
fn columns(path: &PathBuf) -> Vec<Vec<f64>> {
    let text = std::fs::read_to_string(path).expect("data");
    let mut cols: Vec<Vec<f64>> = Vec::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let row: Vec<f64> = line.split(',').map(|c| c.trim().parse().unwrap()).collect();
        cols.resize(row.len(), Vec::new());
        cols.iter_mut().zip(row).for_each(|(c, v)| c.push(v));
    }
    cols
}

/// A held-out point of the JSON against the core's; the file's line is the point's
/// position + 2 (one header line).
fn same_point(j: &Value, p: &scalescope_core::backtest::HeldOutPoint) {
    assert_eq!(j["line"].as_u64(), Some(p.index as u64 + 2), "{j}");
    assert_eq!(f(&j["x"]), p.x);
    assert_eq!(f(&j["observed"]), p.observed);
    assert_eq!(f(&j["predicted"]), p.predicted);
    assert_eq!(f(&j["rel_error"]), p.rel_error);
    match p.pi95 {
        Some((lo, hi)) => {
            assert_eq!((f(&j["pi95"][0]), f(&j["pi95"][1])), (lo, hi));
            assert_eq!(j["inside"].as_bool(), p.inside);
        }
        None => {
            assert!(j["pi95"].is_null() && j["inside"].is_null(), "{j}");
        }
    }
    match p.d {
        Some(d) => {
            assert_eq!(f(&j["d"]), d);
            assert_eq!(f(&j["compute"]), p.scale);
        }
        None => assert!(j.get("d").is_none() && j.get("compute").is_none(), "{j}"),
    }
}

fn same_forecast(j: &Value, core: &Forecast) {
    let held = j["heldout"].as_array().expect("heldout");
    assert_eq!(held.len(), core.heldout.len());
    for (a, b) in held.iter().zip(&core.heldout) {
        same_point(a, b);
    }
    assert_eq!(f(&j["mean_abs_rel_error"]), core.mean_abs_rel_error);
    assert_eq!(f(&j["coverage"]), core.coverage);
}

#[test]
fn holdout_top_json_is_the_cores_backtest() {
    let path = core_data("backtest_saturating.csv");
    let file = path.to_str().expect("utf-8 path");
    let j = json(&[
        "backtest",
        file,
        "--form",
        "saturating",
        "--objective",
        "ls-log",
        "--holdout-top",
        "2",
        "--json",
    ]);
    assert_eq!(j["form"], "saturating");
    assert_eq!(j["objective"], "ls-log");
    assert_eq!(j["scale"], "x");
    assert_eq!(j["mode"]["holdout_top"], 2);
    let groups = j["groups"].as_array().expect("groups");
    assert_eq!(groups.len(), 1);
    let g = &groups[0];
    assert!(g["group"].is_null());
    let c = columns(&path);
    let points = Points::new(c[0].clone(), c[1].clone());
    let options = FitOptions::new(Form::Saturating).with_objective(Objective::LsLog);
    let core = holdout(&points, &options, HoldOut::Top(2)).expect("core backtest");
    // 12 distinct x, two runs each: the last 4 rows are held out.
    assert_eq!(
        core.heldout.iter().map(|p| p.index).collect::<Vec<_>>(),
        [20, 21, 22, 23]
    );
    same_forecast(g, &core);
    assert_eq!(g["fitted"], 20);
    assert_eq!(f(&g["largest_fitted"]), core.largest_fitted);
    assert_eq!(f(&g["params"]["alpha"]), core.fit.params[2]);
    // And the SciPy reference the core is tested against.
    let r: Value = serde_json::from_str(
        &std::fs::read_to_string(core_data("backtest_saturating.json")).expect("reference"),
    )
    .expect("JSON");
    let want = &r["holdout_top_2"]["predicted"];
    for (k, p) in g["heldout"].as_array().expect("heldout").iter().enumerate() {
        let (got, want) = (f(&p["predicted"]), f(&want[k]));
        assert!((got / want - 1.0).abs() < 1e-6, "{got} vs {want}");
    }
    assert!(j["skipped"].as_array().is_some_and(|s| s.is_empty()));
}

#[test]
fn rolling_json_is_the_cores_rolling_backtest() {
    let path = core_data("backtest_power.csv");
    let file = path.to_str().expect("utf-8 path");
    let j = json(&["backtest", file, "--form", "power", "--rolling", "--json"]);
    assert_eq!(j["mode"], "rolling");
    let steps = j["groups"][0]["rolling"].as_array().expect("rolling");
    let c = columns(&path);
    let points = Points::new(c[0].clone(), c[1].clone());
    let core = rolling(&points, &FitOptions::new(Form::Power)).expect("core rolling");
    assert_eq!(steps.len(), core.len());
    assert_eq!(steps.len(), 14);
    for (s, want) in steps.iter().zip(&core) {
        assert_eq!(s["scales_used"].as_u64(), Some(want.scales_used as u64));
        assert_eq!(s["used"].as_u64(), Some(want.used as u64));
        assert_eq!(f(&s["largest_used"]), want.largest_used);
        assert_eq!(f(&s["next_x"]), want.next_scale);
        let forecast = want.forecast.as_ref().expect("step fitted");
        assert_eq!(f(&s["abs_rel_error"]), forecast.mean_abs_rel_error);
        let held = s["heldout"].as_array().expect("heldout");
        assert_eq!(held.len(), 1);
        same_point(&held[0], &forecast.heldout[0]);
    }
    // Two points, two parameters: no interval, coverage null.
    assert!(steps[0]["coverage"].is_null());
    assert_eq!(f(&steps[1]["coverage"]), forecast_coverage(&core[1]));
}

fn forecast_coverage(s: &scalescope_core::backtest::RollingStep) -> f64 {
    s.forecast.as_ref().map(|f| f.coverage).unwrap_or(f64::NAN)
}

#[test]
fn a_law_of_n_and_d_is_held_out_by_compute() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/chinchilla_epoch.csv");
    let file = path.to_str().expect("utf-8 path");
    let j = json(&["backtest", file, "--holdout-above", "5e21", "--json"]);
    assert_eq!(j["form"], "chinchilla");
    assert_eq!(j["scale"], "compute");
    assert_eq!(f(&j["mode"]["holdout_above"]), 5e21);
    let c = columns(&path); // N, D, C, loss
    let points = Points::with_d(c[0].clone(), c[1].clone(), c[3].clone());
    let core = holdout(
        &points,
        &FitOptions::new(Form::Chinchilla),
        HoldOut::Above(5e21),
    )
    .expect("core backtest");
    let above: Vec<usize> = (0..points.len())
        .filter(|&i| 6.0 * c[0][i] * c[1][i] > 5e21)
        .collect();
    assert!(!above.is_empty());
    assert_eq!(
        core.heldout.iter().map(|p| p.index).collect::<Vec<_>>(),
        above
    );
    same_forecast(&j["groups"][0], &core);
}

#[test]
fn text_shows_a_table_and_the_summary() {
    let path = core_data("backtest_saturating.csv");
    let file = path.to_str().expect("utf-8 path");
    let o = run(&[
        "backtest",
        file,
        "--form",
        "saturating",
        "--objective",
        "ls-log",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with(
            "all rows: saturating law, objective ls-log, the largest x held out\n  fitted 22 points (x ≤ 10.24B)\n"
        ),
        "{out}"
    );
    assert!(out.contains("95 % prediction"), "{out}");
    // The default holds out the largest x: its two runs.
    assert_eq!(out.matches("20.48B").count(), 2, "{out}");
    assert!(out.contains("mean |rel error| "), "{out}");
}

#[test]
fn rolling_text_has_a_row_per_step() {
    let path = core_data("backtest_power.csv");
    let file = path.to_str().expect("utf-8 path");
    let o = run(&["backtest", file, "--form", "power", "--rolling"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2 + 14, "{out}");
    // The first step: 2 scales (1M, 2M) predict 4M, with no interval (no degree of freedom).
    let first: Vec<&str> = lines[2].split_whitespace().collect();
    assert_eq!(first[..4], ["2", "2", "2M", "4M"], "{out}");
    assert_eq!(first.last(), Some(&"–"), "{out}");
    // Mean absolute errors carry no sign.
    assert!(!out.contains('+'), "{out}");
}

#[test]
fn errors_name_the_group_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("scalescope-cli-backtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("groups.csv");
    std::fs::write(
        &path,
        "model,params,loss\na,1e6,4\na,1e7,3.3\na,1e8,2.7\nb,1e6,5\nb,1e7,4\nb,1e8,3.4\n",
    )
    .expect("temp file");
    let file = path.to_str().expect("utf-8 path");
    // Every group fails: exit 2, the first group's reason on stderr, nothing on stdout.
    let o = run(&["backtest", file, "--form", "power", "--holdout-top", "3"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert_eq!(
        stderr(&o),
        format!(
            "scalescope: error: {file}: cannot backtest group a: holding out 3 of 3 distinct \
             scales leaves nothing to fit (hold out at most 2)\n"
        )
    );
    // One mode at a time.
    let o = run(&["backtest", file, "--holdout-top", "1", "--rolling"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    // A threshold above every x.
    let o = run(&[
        "backtest",
        file,
        "--form",
        "power",
        "--holdout-above",
        "1e9",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("cannot backtest group a: no x is above 1000000000"),
        "{}",
        stderr(&o)
    );
}
