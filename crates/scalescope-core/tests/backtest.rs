//! The backtest (issue 13 item 5): held-out points are exactly the largest scales, their
//! predictions are those of an independent fit of the other rows, the per-group figures are
//! their mean and fraction; against SciPy references (`scripts/scipy/reference_backtest.py`:
//! power and saturating laws under `ls-log`, held out and rolling) and on Epoch AI's 240
//! Chinchilla points.

use scalescope_core::analysis::{analyze, AnalysisOptions};
use scalescope_core::backtest::{
    holdout, rolling, Backtest, BacktestError, Forecast, HoldOut, Mode, Outcome,
};
use scalescope_core::table::{read_table, ReadOptions};
use scalescope_core::{fit, FitError, FitOptions, Form, Objective, Points};
use serde_json::Value;

#[path = "common/epoch.rs"]
mod epoch;
use epoch::epoch_points;

fn data_path(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// A committed `params,loss` CSV as points.
fn points_of(name: &str) -> Points {
    let text = std::fs::read_to_string(data_path(name)).unwrap();
    let (mut x, mut y) = (vec![], vec![]);
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let (a, b) = line.split_once(',').unwrap();
        x.push(a.trim().parse().unwrap());
        y.push(b.trim().parse().unwrap());
    }
    Points::new(x, y)
}

fn json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(data_path(name)).unwrap()).unwrap()
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn close(got: f64, want: f64, tol: f64, what: &str) {
    let rel = if got == want {
        0.0
    } else {
        ((got - want) / want).abs()
    };
    assert!(rel <= tol, "{what}: {got} vs {want} (rel {rel:e})");
}

/// Compares a forecast with a reference block of `reference_backtest.py`. `tol` is for
/// values (predictions and intervals); relative errors are compared absolutely at `tol`
/// (they are differences of values of order 1).
fn check_against(f: &Forecast, r: &Value, tol: f64, label: &str) {
    let index: Vec<usize> = r["heldout_index"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as usize)
        .collect();
    assert_eq!(
        f.heldout.iter().map(|p| p.index).collect::<Vec<_>>(),
        index,
        "{label}: held-out points"
    );
    assert_eq!(f.fitted, r["fitted"].as_u64().unwrap() as usize, "{label}");
    for (k, p) in f.heldout.iter().enumerate() {
        let what = format!("{label} point {}", p.index);
        // serde_json's default float parsing may be off by an ulp.
        close(p.x, num(&r["x"][k]), 1e-15, &what);
        close(p.observed, num(&r["observed"][k]), 1e-15, &what);
        close(p.predicted, num(&r["predicted"][k]), tol, &what);
        assert!(
            (p.rel_error - num(&r["rel_error"][k])).abs() <= tol,
            "{what}: rel error {} vs {}",
            p.rel_error,
            r["rel_error"][k]
        );
        match (&r["pi95"][k], p.pi95) {
            (Value::Null, None) => assert_eq!(p.inside, None, "{what}"),
            (v, Some((lo, hi))) if !v.is_null() => {
                close(lo, num(&v[0]), tol, &format!("{what} pi lo"));
                close(hi, num(&v[1]), tol, &format!("{what} pi hi"));
                assert_eq!(p.inside, r["inside"][k].as_bool(), "{what}");
            }
            (v, got) => panic!("{what}: pi95 {got:?} vs {v}"),
        }
    }
    assert!(
        (f.mean_abs_rel_error - num(&r["mean_abs_rel_error"])).abs() <= tol,
        "{label}: mean {} vs {}",
        f.mean_abs_rel_error,
        r["mean_abs_rel_error"]
    );
    match &r["coverage"] {
        Value::Null => assert!(f.coverage.is_nan(), "{label}"),
        c => assert_eq!(f.coverage, num(c), "{label}: coverage"),
    }
}

#[test]
fn power_law_holdout_matches_numpy_polyfit() {
    let points = points_of("backtest_power.csv");
    let r = json("backtest_power.json");
    let options = FitOptions::new(Form::Power).with_objective(Objective::LsLog);
    let f = holdout(&points, &options, HoldOut::Top(3)).unwrap();
    check_against(&f, &r["holdout_top_3"], 1e-9, "power top 3");
    close(
        f.fit.params[0],
        num(&r["holdout_top_3"]["params"]["a"]),
        1e-9,
        "a",
    );
    println!(
        "power, top 3: mean |rel error| {:.4}, coverage {}",
        f.mean_abs_rel_error, f.coverage
    );
}

#[test]
fn power_law_rolling_matches_numpy_polyfit() {
    let points = points_of("backtest_power.csv");
    let r = json("backtest_power.json");
    let options = FitOptions::new(Form::Power).with_objective(Objective::LsLog);
    let steps = rolling(&points, &options).unwrap();
    let want = r["rolling"].as_array().unwrap();
    // 16 distinct x: prefixes of 2..=15 scales predict the next one.
    assert_eq!(steps.len(), want.len());
    assert_eq!(steps.len(), 14);
    for (s, w) in steps.iter().zip(want) {
        let label = format!("rolling step {}", s.scales_used);
        assert_eq!(s.scales_used as u64, w["scales_used"].as_u64().unwrap());
        close(s.next_scale, num(&w["next_x"]), 1e-15, &label);
        assert_eq!(s.used, s.scales_used, "{label}: one point per x");
        check_against(s.forecast.as_ref().unwrap(), w, 1e-9, &label);
    }
    // The first step has as many points as parameters: no interval, no coverage.
    assert!(steps[0].forecast.as_ref().unwrap().heldout[0]
        .pi95
        .is_none());
}

#[test]
fn saturating_holdouts_match_scipy_curve_fit() {
    let points = points_of("backtest_saturating.csv");
    let r = json("backtest_saturating.json");
    let options = FitOptions::new(Form::Saturating).with_objective(Objective::LsLog);
    let top = holdout(&points, &options, HoldOut::Top(2)).unwrap();
    check_against(&top, &r["holdout_top_2"], 1e-6, "saturating top 2");
    let above = holdout(&points, &options, HoldOut::Above(1e9)).unwrap();
    check_against(
        &above,
        &r["holdout_above_1e9"],
        1e-6,
        "saturating above 1e9",
    );
    for (name, k) in [("E", 0), ("A", 1), ("alpha", 2)] {
        close(
            top.fit.params[k],
            num(&r["holdout_top_2"]["params"][name]),
            1e-6,
            name,
        );
    }
    println!(
        "saturating: top 2 mean |rel error| {:.4} coverage {}; above 1e9 {:.4} coverage {}",
        top.mean_abs_rel_error, top.coverage, above.mean_abs_rel_error, above.coverage
    );
}

/// Noise-free saturating points (E = 1.7, A = 406.4, alpha = 0.34), three runs at each
/// of 8 scales, the runs 1 % apart.
fn saturating_truth() -> (Points, [f64; 3]) {
    let truth = [1.7, 406.4, 0.34];
    let (mut x, mut y) = (vec![], vec![]);
    for k in 0..8 {
        let xk = 1e7 * 3f64.powi(k);
        for run in [-1.0, 0.0, 1.0] {
            x.push(xk);
            y.push(Form::Saturating.eval(&truth, xk, None) * (1.0 + 0.01 * run));
        }
    }
    (Points::new(x, y), truth)
}

#[test]
fn held_out_points_are_the_largest_scales_and_an_independent_fit_predicts_them() {
    let (points, truth) = saturating_truth();
    let options = FitOptions::new(Form::Saturating);
    for k in 1..=4 {
        let f = holdout(&points, &options, HoldOut::Top(k)).unwrap();
        // Exactly the points at the k largest of the 8 distinct x, all three runs of each.
        let want: Vec<usize> = (3 * (8 - k)..24).collect();
        assert_eq!(
            f.heldout.iter().map(|p| p.index).collect::<Vec<_>>(),
            want,
            "top {k}"
        );
        let rest = Points::new(
            points.x[..3 * (8 - k)].to_vec(),
            points.y[..3 * (8 - k)].to_vec(),
        );
        let independent = fit(&rest, &options).unwrap();
        assert_eq!(f.fit.params, independent.params, "top {k}");
        assert_eq!(f.fitted, rest.len());
        assert_eq!(f.largest_fitted, rest.x[rest.len() - 1]);
        let mut inside = 0;
        let mut sum = 0.0;
        for p in &f.heldout {
            assert_eq!(p.predicted, independent.predict(p.x, None));
            let (lo, hi) = independent.prediction95(p.x, None);
            assert_eq!(p.pi95, Some((lo, hi)));
            assert_eq!(p.rel_error, p.predicted / p.observed - 1.0);
            assert_eq!(p.inside, Some(lo <= p.observed && p.observed <= hi));
            inside += usize::from(p.inside == Some(true));
            sum += p.rel_error.abs();
            // The middle run sits on the truth, which the fit of the smaller scales
            // extrapolates to within 1 % (the runs are ±1 % about it).
            let truth_here = Form::Saturating.eval(&truth, p.x, None);
            assert!(
                (p.predicted / truth_here - 1.0).abs() < 0.01,
                "top {k}: {p:?}"
            );
        }
        assert_eq!(f.coverage, inside as f64 / f.heldout.len() as f64);
        assert!((f.mean_abs_rel_error - sum / f.heldout.len() as f64).abs() < 1e-15);
    }
    // Above a threshold: strictly above.
    let f = holdout(&points, &options, HoldOut::Above(1e7 * 3f64.powi(6))).unwrap();
    assert_eq!(
        f.heldout.iter().map(|p| p.index).collect::<Vec<_>>(),
        (21..24).collect::<Vec<_>>()
    );
}

#[test]
fn errors_say_what_is_wrong() {
    let x = vec![1e6, 1e7, 1e8, 1e9, 1e9];
    let y = vec![4.0, 3.3, 2.7, 2.2, 2.25];
    let points = Points::new(x, y);
    let options = FitOptions::new(Form::Power);
    let e = holdout(&points, &options, HoldOut::Top(5)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "holding out 5 of 4 distinct scales leaves nothing to fit (hold out at most 3)"
    );
    assert_eq!(
        holdout(&points, &options, HoldOut::Top(0)).unwrap_err(),
        BacktestError::NothingHeldOut
    );
    let e = holdout(&points, &options, HoldOut::Above(2e9)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no x is above 2000000000 (the largest is 1000000000): nothing to predict"
    );
    let e = holdout(&points, &options, HoldOut::Above(1.0)).unwrap_err();
    assert!(matches!(e, BacktestError::NothingBelow { .. }), "{e}");
    assert!(matches!(
        holdout(&points, &options, HoldOut::Above(f64::NAN)),
        Err(BacktestError::BadThreshold(_))
    ));
    // Three scales held out leave one x: the power law cannot be fitted.
    let e = holdout(&points, &options, HoldOut::Top(3)).unwrap_err();
    assert!(
        matches!(
            e,
            BacktestError::Fit {
                fitted: 1,
                source: FitError::TooFewPoints { .. }
            }
        ),
        "{e}"
    );
    // Columns that do not line up are refused, not read past.
    let bad = Points::new(vec![1.0, 2.0, 3.0], vec![1.0, 2.0]);
    assert!(matches!(
        holdout(&bad, &options, HoldOut::Top(1)),
        Err(BacktestError::Points(FitError::LengthMismatch { .. }))
    ));
    assert!(matches!(
        rolling(&bad, &options),
        Err(BacktestError::Points(FitError::LengthMismatch { .. }))
    ));
    // Rolling needs a fittable prefix with a larger scale after it.
    let two = Points::new(vec![1e6, 1e6, 1e7], vec![4.0, 4.1, 3.0]);
    let e = rolling(&two, &FitOptions::new(Form::Saturating)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "no prefix of the 2 distinct scales has enough points to fit the saturating law and a larger scale to predict"
    );
}

#[test]
fn rolling_starts_at_the_first_identifiable_prefix() {
    // Three runs per x: the saturating law (3 parameters) needs 3 distinct x, however many
    // points the first two scales have (the identifiability rule of `Points::validate`).
    let (points, _) = saturating_truth();
    let options = FitOptions::new(Form::Saturating);
    let steps = rolling(&points, &options).unwrap();
    assert_eq!(
        steps.iter().map(|s| s.scales_used).collect::<Vec<_>>(),
        (3..8).collect::<Vec<_>>()
    );
    for s in &steps {
        assert_eq!(s.used, 3 * s.scales_used);
        let f = s.forecast.as_ref().unwrap();
        assert_eq!(
            f.heldout.iter().map(|p| p.index).collect::<Vec<_>>(),
            (3 * s.scales_used..3 * s.scales_used + 3).collect::<Vec<_>>()
        );
        assert_eq!(s.next_scale, points.x[3 * s.scales_used]);
        assert_eq!(s.largest_used, points.x[3 * s.scales_used - 1]);
        let rest = Points::new(points.x[..s.used].to_vec(), points.y[..s.used].to_vec());
        let independent = fit(&rest, &options).unwrap();
        for p in &f.heldout {
            assert_eq!(p.predicted, independent.predict(p.x, None));
        }
    }
}

#[test]
fn a_table_backtests_each_group_on_its_fitted_rows() {
    // Group a: 5 scales, line 4 (x = 1e7) excluded; group b: 3 scales.
    let text =
        "model,params,loss\na,1e6,4.0\na,1e7,3.3\na,1e7,9.9\na,1e8,2.7\na,1e9,2.2\na,1e10,1.85\n\
                b,1e6,5.0\nb,1e7,4.1\nb,1e8,3.4\n";
    let table = read_table(text, &ReadOptions::new()).unwrap();
    let analysis_options = AnalysisOptions {
        form: Form::Power,
        excluded_lines: [4].into(),
        ..AnalysisOptions::default()
    };
    let analysis = analyze(&table, &analysis_options);
    let options = analysis_options.fit_options();
    let b = Backtest::new(
        Some(&table),
        &analysis,
        &options,
        Mode::HoldOut(HoldOut::Top(2)),
    );
    assert_eq!(b.groups.len(), 2);
    let a = &b.groups[0];
    assert_eq!(a.group.as_deref(), Some("a"));
    let Ok(Outcome::HoldOut(f)) = &a.outcome else {
        panic!("{:?}", a.outcome)
    };
    // Held out: lines 6 and 7 (the group's points 4 and 5); fitted: lines 2, 3 and 5.
    assert_eq!(
        f.heldout
            .iter()
            .map(|p| a.lines[p.index])
            .collect::<Vec<_>>(),
        [6, 7]
    );
    let rest = Points::new(vec![1e6, 1e7, 1e8], vec![4.0, 3.3, 2.7]);
    assert_eq!(f.fit.params, fit(&rest, &options).unwrap().params);
    // Group b has 3 scales: holding out 2 leaves one x, which a power law cannot fit.
    let e = b.groups[1].outcome.as_ref().unwrap_err();
    assert!(matches!(e, BacktestError::Fit { fitted: 1, .. }), "{e}");
    assert!(
        b.warnings
            .iter()
            .any(|w| w.starts_with("cannot backtest group b: fitting the 1 points")),
        "{:?}",
        b.warnings
    );
}

#[test]
fn epoch_chinchilla_largest_compute_held_out() {
    let points = epoch_points();
    let options = FitOptions::new(Form::Chinchilla);
    let k = 10;
    let f = holdout(&points, &options, HoldOut::Top(k)).unwrap();
    // The K largest distinct compute values 6·N·D, found here independently.
    let compute: Vec<f64> = (0..points.len())
        .map(|i| 6.0 * points.x[i] * points.d_at(i).unwrap())
        .collect();
    let mut distinct = compute.clone();
    distinct.sort_by(|a, b| b.total_cmp(a));
    distinct.dedup();
    let cut = distinct[k - 1];
    let want: Vec<usize> = (0..points.len()).filter(|&i| compute[i] >= cut).collect();
    assert_eq!(f.heldout.iter().map(|p| p.index).collect::<Vec<_>>(), want);
    assert!(want.len() >= k);
    for p in &f.heldout {
        assert_eq!(p.scale, compute[p.index]);
        assert_eq!(p.d, points.d_at(p.index));
    }
    // The prediction is that of an independent fit of the other rows.
    let keep: Vec<usize> = (0..points.len()).filter(|&i| compute[i] < cut).collect();
    let rest = Points::with_d(
        keep.iter().map(|&i| points.x[i]).collect(),
        keep.iter().map(|&i| points.d_at(i).unwrap()).collect(),
        keep.iter().map(|&i| points.y[i]).collect(),
    );
    let independent = fit(&rest, &options).unwrap();
    assert_eq!(f.fit.params, independent.params);
    assert_eq!(f.fitted, 240 - want.len());
    let mut inside = 0usize;
    let mut sum = 0.0;
    for p in &f.heldout {
        assert_eq!(p.predicted, independent.predict(p.x, p.d));
        let (lo, hi) = independent.prediction95(p.x, p.d);
        assert_eq!(p.pi95, Some((lo, hi)));
        assert_eq!(p.inside, Some(lo <= p.observed && p.observed <= hi));
        inside += usize::from(lo <= p.observed && p.observed <= hi);
        sum += (p.predicted / p.observed - 1.0).abs();
    }
    assert_eq!(f.coverage, inside as f64 / want.len() as f64);
    assert!((f.mean_abs_rel_error - sum / want.len() as f64).abs() < 1e-15);
    // Chinchilla's law extrapolates an order of magnitude of compute to within a few %.
    assert!(f.mean_abs_rel_error < 0.05, "{}", f.mean_abs_rel_error);
    println!(
        "Epoch 240, top {k} compute ({} points, C ≥ {cut:.3e}): mean |rel error| {:.4}, coverage {:.2}",
        want.len(),
        f.mean_abs_rel_error,
        f.coverage
    );
}

#[test]
fn hostile_points_are_errors_not_panics() {
    let nan = f64::NAN;
    let cases: Vec<Points> = vec![
        Points::new(vec![], vec![]),
        Points::new(vec![nan, 1.0, 2.0, 3.0], vec![1.0, 2.0, 3.0, 4.0]),
        Points::new(vec![1.0, 2.0, 3.0, nan], vec![1.0, 2.0, 3.0, 4.0]),
        Points::new(vec![1.0, 2.0, 3.0, 4.0], vec![1.0, -2.0, 3.0, 0.0]),
        Points::new(vec![5.0; 6], vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0]),
        Points::new(vec![-1.0, 0.0, 1.0, 2.0], vec![1.0, 2.0, 3.0, 4.0]),
        Points::new(vec![1.0, 2.0, 3.0], vec![1.0, 2.0, 3.0]).with_weights(vec![1.0]),
        Points::with_d(vec![1e8, 2e8, 4e8], vec![1e9], vec![3.0, 2.9, 2.8]),
        Points::new(
            vec![1e6, 1e7, 1e8, 1e9, f64::INFINITY],
            vec![4.0, 3.3, 2.7, 2.2, 2.0],
        ),
    ];
    let holds = [
        HoldOut::Top(1),
        HoldOut::Top(usize::MAX),
        HoldOut::Above(2.5),
        HoldOut::Above(f64::INFINITY),
        HoldOut::Above(-f64::MAX),
    ];
    for form in Form::ALL {
        let options = FitOptions::new(form);
        for p in &cases {
            for h in holds {
                // Any answer will do, as long as it is one.
                let _ = holdout(p, &options, h).map(|f| f.mean_abs_rel_error);
            }
            let _ = rolling(p, &options).map(|s| s.len());
        }
    }
}

/// Epoch AI's 240 runs each have their own compute 6ND: the rolling backtest takes them in
/// `MAX_STEPS + 1` blocks of consecutive scales, each prefix of blocks predicting exactly
/// the points of the next block, with the step's fit the same as fitting that prefix alone.
#[test]
fn many_scales_roll_in_blocks_and_each_block_is_predicted_once() {
    use scalescope_core::backtest::MAX_STEPS;
    let points = epoch_points();
    let options =
        FitOptions::new(Form::Chinchilla).with_objective(Objective::default_for(Form::Chinchilla));
    let steps = rolling(&points, &options).expect("Epoch's runs backtest");
    assert!(
        steps.len() <= MAX_STEPS && steps.len() >= MAX_STEPS - 2,
        "{} steps",
        steps.len()
    );
    let compute: Vec<f64> = (0..points.len())
        .map(|i| 6.0 * points.x[i] * points.d_at(i).unwrap_or(f64::NAN))
        .collect();
    let mut predicted = 0;
    for (s, next) in steps
        .iter()
        .zip(steps.iter().skip(1).map(Some).chain([None]))
    {
        assert!(s.largest_used < s.next_scale && s.next_scale <= s.next_largest);
        let fitted = compute.iter().filter(|&&c| c <= s.largest_used).count();
        let held = compute
            .iter()
            .filter(|&&c| c > s.largest_used && c <= s.next_largest)
            .count();
        assert_eq!(s.used, fitted);
        let f = s.forecast.as_ref().expect("every prefix of blocks fits");
        assert_eq!(f.heldout.len(), held, "step {}", s.scales_used);
        if let Some(next) = next {
            // Blocks follow each other: the next step fits exactly what this one predicted.
            assert_eq!(next.largest_used, s.next_largest);
        }
        predicted += held;
    }
    // Every run after the first fitted prefix is predicted exactly once.
    assert_eq!(predicted, points.len() - steps[0].used);
    // The last step's fit is the fit of its prefix.
    let last = steps.last().expect("a step");
    let keep: Vec<usize> = (0..points.len())
        .filter(|&i| compute[i] <= last.largest_used)
        .collect();
    let prefix = Points {
        x: keep.iter().map(|&i| points.x[i]).collect(),
        d: points
            .d
            .as_ref()
            .map(|d| keep.iter().map(|&i| d[i]).collect()),
        y: keep.iter().map(|&i| points.y[i]).collect(),
        weights: None,
    };
    let alone = fit(&prefix, &options).expect("the prefix fits");
    let f = last.forecast.as_ref().expect("fits");
    assert_eq!(f.fit.params, alone.params);
}
