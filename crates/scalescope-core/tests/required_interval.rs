//! "Perhaps never" (issue 13, item 3): the required input's interval inverts the confidence
//! band, so a target inside the floor's uncertainty has an unbounded upper bound; the
//! compute-optimal answers of a law of N and D get intervals too.
//!
//! One-input references: `scripts/scipy/reference_required_band.py` (SciPy's fit, band and
//! brentq on the band's edges) → `tests/data/required_band.json`.

use scalescope_core::export::report_json;
use scalescope_core::presets::Model;
use scalescope_core::report::{Questions, Reach, Report};
use scalescope_core::{fit, stats, Fit, FitOptions, Form, Objective, Points};
use serde_json::Value;
use std::path::PathBuf;

#[path = "common/epoch.rs"]
mod epoch;
use epoch::epoch_points;

fn reference() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/required_band.json");
    let text = std::fs::read_to_string(&path).expect("reference data");
    serde_json::from_str(&text).expect("JSON")
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .expect("an array")
        .iter()
        .map(|x| x.as_f64().expect("a number"))
        .collect()
}

fn assert_rel(what: &str, got: f64, want: f64, tol: f64) {
    let rel = ((got - want) / want).abs();
    assert!(rel <= tol, "{what}: {got} vs {want} (relative {rel:e})");
}

fn saturating_fit(r: &Value) -> Fit {
    let points = Points::new(floats(&r["x"]), floats(&r["y"]));
    let options = FitOptions::new(Form::Saturating).with_objective(Objective::LsLog);
    fit(&points, &options).expect("the data fit")
}

#[test]
fn required_intervals_are_scipys_band_crossings() {
    let r = reference();
    let f = saturating_fit(&r);
    for (got, want) in f.params.iter().zip(floats(&r["params"])) {
        assert_rel("param", *got, want, 1e-7);
    }
    for case in r["required"].as_array().expect("cases") {
        let target = case["target"].as_f64().expect("target");
        let got = f.required_x(target).expect("reachable");
        assert_rel("x", got.x, case["x"].as_f64().expect("x"), 1e-6);
        assert_rel(
            "lower bound",
            got.ci95.0,
            case["lo"].as_f64().expect("lo"),
            1e-5,
        );
        match case["hi"].as_f64() {
            Some(hi) => {
                assert_rel("upper bound", got.ci95.1, hi, 1e-5);
                assert!(!got.unbounded());
                // Finite bounds bracket the point estimate.
                assert!(got.ci95.0 < got.x && got.x < got.ci95.1, "{got:?}");
            }
            None => {
                assert_eq!(got.ci95.1, f64::INFINITY, "{got:?}");
                assert!(got.unbounded());
            }
        }
    }
}

#[test]
fn a_target_inside_the_floors_interval_may_never_be_reached() {
    let r = reference();
    let f = saturating_fit(&r);
    let (e_lo, e_hi) = f.ci95[0];
    // Just above the fitted floor: reachable by the fit, inside E's 95 % interval.
    let target = f.params[0] + 0.1 * (e_hi - f.params[0]);
    assert!(e_lo < target && target < e_hi);
    let got = f.required_x(target).expect("reachable by the fit");
    assert!(got.unbounded(), "{got:?}");
    // The reason: the band's upper edge is still above the target at x = 1e60 …
    assert!(f.band95(1e60, None).1 > target);
    // … while its lower edge crossed it where the interval starts.
    assert_rel("crossing", f.band95(got.ci95.0, None).0, target, 1e-9);
    assert!(got.ci95.0 < got.x);

    // The report and its JSON: `null` with `"unbounded": true`.
    let questions = Questions {
        target: Some((target, None)),
        compute: None,
    };
    let report = Report::of_fits([(None, f.clone())], questions);
    let json: Value = serde_json::from_str(&report_json(&report)).expect("JSON");
    let required = &json["fits"][0]["required"];
    assert_eq!(required["unbounded"], true, "{required}");
    assert_eq!(required["x_ci95"][1], Value::Null, "{required}");
    assert!(required["x_ci95"][0].as_f64().is_some(), "{required}");

    // A target well above the floor: finite, and `"unbounded": false`.
    let questions = Questions {
        target: Some((2.2, None)),
        compute: None,
    };
    let report = Report::of_fits([(None, f)], questions);
    let json: Value = serde_json::from_str(&report_json(&report)).expect("JSON");
    let required = &json["fits"][0]["required"];
    assert_eq!(required["unbounded"], false, "{required}");
    let (x, lo, hi) = (
        required["x"].as_f64().expect("x"),
        required["x_ci95"][0].as_f64().expect("lo"),
        required["x_ci95"][1].as_f64().expect("hi"),
    );
    assert!(lo < x && x < hi, "{required}");
}

/// Epoch AI's 240 Chinchilla points (the 5 highest losses dropped), `huber-log:1e-3`.
fn epoch_fit() -> Fit {
    let points = epoch_points();
    let options =
        FitOptions::new(Form::Chinchilla).with_objective(Objective::HuberLog { delta: 1e-3 });
    fit(&points, &options).expect("Epoch's points fit")
}

/// `d ln N* / dθ` in closed form: `ln N* = ln(αA/(βB))/s + β·ln(C/6)/s`, `s = α + β`.
fn ln_n_gradient(p: &[f64], compute: f64) -> [f64; 5] {
    let (a, b, al, be) = (p[1], p[2], p[3], p[4]);
    let s = al + be;
    let l = (al * a / (be * b)).ln();
    let c = (compute / 6.0).ln();
    [
        0.0,
        1.0 / (s * a),
        -1.0 / (s * b),
        1.0 / (al * s) - l / (s * s) - be * c / (s * s),
        -1.0 / (be * s) - l / (s * s) + al * c / (s * s),
    ]
}

#[test]
fn chinchillas_split_at_a_budget_has_delta_method_intervals() {
    let f = epoch_fit();
    let m = Model::fitted(&f);
    let at = m.optimal_allocation(1e24).expect("a split");
    let ci = m
        .optimal_ci95(1e24)
        .expect("a split")
        .expect("a covariance");
    // The delta method on ln N* and ln D* = ln(C/6) − ln N*, with the closed-form gradient.
    let g = ln_n_gradient(&f.params, 1e24);
    let cov = f.covariance.as_ref().expect("a covariance");
    let var: f64 = (0..5)
        .flat_map(|i| (0..5).map(move |j| (i, j)))
        .map(|(i, j)| g[i] * cov[(i, j)] * g[j])
        .sum();
    let h = stats::t95(f.metrics.dof) * var.sqrt();
    assert_rel("N lo", ci.n.0, at.n * (-h).exp(), 1e-5);
    assert_rel("N hi", ci.n.1, at.n * h.exp(), 1e-5);
    assert_rel("D lo", ci.d.0, at.d * (-h).exp(), 1e-5);
    assert_rel("D hi", ci.d.1, at.d * h.exp(), 1e-5);
    assert_eq!(ci.compute, (1e24, 1e24));
    // The loss's interval is the fit's band at (N*, D*).
    assert_eq!(ci.loss, f.band95(at.n, Some(at.d)));
    assert!(ci.loss.0 < at.loss && at.loss < ci.loss.1);
    assert!(ci.tokens_per_param.0 < at.tokens_per_param);
    assert!(at.tokens_per_param < ci.tokens_per_param.1);
    // A published law has no interval.
    let published = Model::of(Form::Chinchilla, f.params.clone());
    assert_eq!(published.optimal_ci95(1e24), Ok(None));
}

#[test]
fn chinchillas_compute_for_a_loss_inverts_the_frontier_band() {
    let f = epoch_fit();
    let m = Model::fitted(&f);
    // Well above the floor: finite bounds around the point, where the frontier's band
    // edges cross the target.
    let at = m.compute_for_loss(2.0).expect("reachable");
    let ci = m
        .compute_for_loss_ci95(2.0)
        .expect("reachable")
        .expect("cov");
    assert!(
        ci.compute.0 < at.compute && at.compute < ci.compute.1,
        "{ci:?}"
    );
    let band_at = |c: f64| {
        let a = m.optimal_allocation(c).expect("a split");
        f.band95(a.n, Some(a.d))
    };
    assert_rel("lower crossing", band_at(ci.compute.0).0, 2.0, 1e-9);
    assert_rel("upper crossing", band_at(ci.compute.1).1, 2.0, 1e-9);
    // N and D span the split's intervals at the two ends.
    let low = m.optimal_ci95(ci.compute.0).expect("split").expect("cov");
    let high = m.optimal_ci95(ci.compute.1).expect("split").expect("cov");
    assert_eq!(ci.n, (low.n.0, high.n.1));
    assert_eq!(ci.d, (low.d.0, high.d.1));
    assert!(ci.n.0 < at.n && at.n < ci.n.1 && ci.d.0 < at.d && at.d < ci.d.1);

    // Just above the fitted floor, inside E's interval: the compute may never suffice.
    let target = f.params[0] + 0.1 * (f.ci95[0].1 - f.params[0]);
    let ci = m
        .compute_for_loss_ci95(target)
        .expect("reachable")
        .expect("cov");
    assert_eq!(ci.compute.1, f64::INFINITY, "{ci:?}");
    assert_eq!(ci.n.1, f64::INFINITY);
    assert_eq!(ci.d.1, f64::INFINITY);
    let questions = Questions {
        target: Some((target, None)),
        compute: Some(1e24),
    };
    let report = Report::of_fits([(None, f)], questions);
    match &report.fits[0].required {
        Some(Ok(a)) => match &a.reach {
            Reach::Allocation(split) => assert!(split.unbounded()),
            Reach::Input(r) => panic!("a law of N and D answered with an input: {r:?}"),
        },
        other => panic!("{other:?}"),
    }
    let json: Value = serde_json::from_str(&report_json(&report)).expect("JSON");
    let required = &json["fits"][0]["required"];
    assert_eq!(required["unbounded"], true, "{required}");
    assert_eq!(required["compute_ci95"][1], Value::Null, "{required}");
    let optimal = &json["fits"][0]["optimal"];
    assert_eq!(
        optimal["N_ci95"].as_array().map(Vec::len),
        Some(2),
        "{optimal}"
    );
    assert!(optimal["loss_ci95"][0].as_f64().is_some(), "{optimal}");
}
