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
