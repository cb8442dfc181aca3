//! "Perhaps never" (issue 13, item 3) through the binary: a target inside the floor's 95 %
//! interval has an unbounded upper bound, written `null` with `"unbounded": true` in JSON
//! and "∞ — may never be reached at this confidence" in text; a target well above the floor
//! has finite bounds around the estimate. Data and SciPy's bounds:
//! `scripts/scipy/reference_required_band.py` → the core's `tests/data/required_band.json`.

mod common;

use common::{core_data, run, stderr, stdout};
use serde_json::Value;
use std::path::PathBuf;

fn reference() -> Value {
    let text = std::fs::read_to_string(core_data("required_band.json")).expect("reference");
    serde_json::from_str(&text).expect("JSON")
}

/// The reference's points as a CSV file.
fn data_file(r: &Value) -> PathBuf {
    let mut text = String::from("params,loss\n");
    let (x, y) = (r["x"].as_array().expect("x"), r["y"].as_array().expect("y"));
    for (x, y) in x.iter().zip(y) {
        text += &format!("{x},{y}\n");
    }
    let dir = std::env::temp_dir().join(format!("scalescope-cli-never-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("saturating.csv");
    std::fs::write(&path, text).expect("temp file");
    path
}

fn fit(args: &[&str]) -> std::process::Output {
    let r = reference();
    let path = data_file(&r);
    let path = path.to_str().expect("utf-8 path");
    let base = ["fit", path, "--form", "saturating", "--objective", "ls-log"];
    let o = run(&[&base[..], args].concat());
    assert!(o.status.success(), "exit {:?}: {}", o.status, stderr(&o));
    o
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

#[test]
fn a_target_inside_the_floors_interval_is_unbounded_in_json_and_text() {
    let r = reference();
    for case in r["required"].as_array().expect("cases") {
        let target = f(&case["target"]);
        let o = fit(&["--target-loss", &format!("{target:?}"), "--json"]);
        let j: Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
        let required = &j["fits"][0]["required"];
        let lo = f(&required["x_ci95"][0]);
        assert!(
            (lo / f(&case["lo"]) - 1.0).abs() < 1e-5,
            "{required} vs {case}"
        );
        match case["hi"].as_f64() {
            None => {
                assert_eq!(required["unbounded"], true, "{required}");
                assert_eq!(required["x_ci95"][1], Value::Null, "{required}");
                let o = fit(&["--target-loss", &format!("{target:?}")]);
                let text = stdout(&o);
                assert!(
                    text.contains("∞ — may never be reached at this confidence"),
                    "{text}"
                );
            }
            Some(hi) => {
                assert_eq!(required["unbounded"], false, "{required}");
                let (x, got) = (f(&required["x"]), f(&required["x_ci95"][1]));
                assert!((got / hi - 1.0).abs() < 1e-5, "{required} vs {case}");
                assert!(lo < x && x < got, "{required}");
            }
        }
    }
}

#[test]
fn chinchillas_compute_for_a_target_inside_es_interval_is_unbounded() {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/chinchilla_epoch.csv");
    let path = path.to_str().expect("utf-8 path");
    let args = ["fit", path, "--form", "chinchilla", "--target-loss", "2.0"];
    let o = run(&[&args[..], &["--compute", "1e24", "--json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let j: Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    let fit = &j["fits"][0];
    // All 245 points: E's 95 % interval holds the target 2.0.
    assert!(
        f(&fit["ci95"]["E"][0]) < 2.0 && 2.0 < f(&fit["ci95"]["E"][1]),
        "{fit}"
    );
    let required = &fit["required"];
    assert_eq!(required["unbounded"], true, "{required}");
    assert_eq!(required["compute_ci95"][1], Value::Null, "{required}");
    assert!(
        f(&required["compute_ci95"][0]) < f(&required["compute"]),
        "{required}"
    );
    // The split at 1e24 FLOP: finite intervals around N* and D*.
    let optimal = &fit["optimal"];
    for key in ["N", "D", "loss"] {
        let ci = &optimal[format!("{key}_ci95")];
        let v = f(&optimal[key]);
        assert!(f(&ci[0]) < v && v < f(&ci[1]), "{key}: {optimal}");
    }
    let o = run(&args);
    let text = stdout(&o);
    assert!(
        text.contains("95 %: C [") && text.contains("∞ — may never be reached at this confidence"),
        "{text}"
    );
}
