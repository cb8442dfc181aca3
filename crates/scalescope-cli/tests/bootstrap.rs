//! `scalescope fit --bootstrap B [--seed S] [--threads N]`: the JSON's `bootstrap` object,
//! reproducible with a seed, different with another, the same on any number of threads;
//! a target inside the floor's spread has an unbounded upper bound.

mod common;

use common::{run, stderr, stdout};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Two groups of saturating data (E = 1.7, A = 406.4, alpha = 0.34) with ±2 %
/// deterministic scatter.
fn saturating_groups(name: &str) -> PathBuf {
    let mut text = String::from("model,params,loss\n");
    for (g, scale) in [("a", 1.0), ("b", 1.1)] {
        for k in 0..16 {
            let n = 1e7 * 2f64.powi(k);
            let wobble = 1.0 + 0.02 * (((k * 7 + 3) % 9) as f64 - 4.0) / 4.0;
            let y = scale * (1.7 + 406.4 * n.powf(-0.34)) * wobble;
            text += &format!("{g},{n},{y}\n");
        }
    }
    let dir = std::env::temp_dir().join(format!("scalescope-cli-boot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.csv"));
    std::fs::write(&path, text).expect("temp file");
    path
}

/// `scalescope fit FILE --form saturating --json ARGS…`, checked to succeed.
fn json(args: &[&str]) -> Value {
    // One file per run: the tests run in parallel.
    static RUNS: AtomicUsize = AtomicUsize::new(0);
    let path = saturating_groups(&format!("run{}", RUNS.fetch_add(1, Ordering::Relaxed)));
    let path = path.to_str().expect("utf-8 path");
    common::json(&[&["fit", path, "--form", "saturating", "--json"][..], args].concat())
}

fn boots(j: &Value) -> Vec<Value> {
    let fits = j["fits"].as_array().expect("fits");
    assert_eq!(fits.len(), 2);
    fits.iter().map(|f| f["bootstrap"].clone()).collect()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

#[test]
fn json_has_the_bootstrap_of_every_group() {
    let j = json(&["--bootstrap", "200", "--target-loss", "2.3"]);
    for (b, fit) in boots(&j).iter().zip(j["fits"].as_array().expect("fits")) {
        assert_eq!(b["resamples"], 200);
        assert!(b["failed"].as_u64().expect("failed") <= 2, "{b}");
        for name in ["E", "A", "alpha"] {
            let se = f(&b["se"][name]);
            let analytic = f(&fit["stderr"][name]);
            // The same order of magnitude as the analytic SE (which is not exact for Huber).
            assert!(
                se > analytic / 4.0 && se < analytic * 4.0,
                "{name}: {se} vs {analytic}"
            );
            let lo = f(&b["ci95"][name][0]);
            let hi = f(&b["ci95"][name][1]);
            let p = f(&fit["params"][name]);
            assert!(lo < p && p < hi, "{name}: {p} not in [{lo}, {hi}]");
        }
        let r = &b["required_ci95"];
        assert_eq!(f(&r["target_loss"]), 2.3);
        let x = f(&fit["required"]["x"]);
        assert!(f(&r["x"][0]) < x && x < f(&r["x"][1]), "{r}");
        assert_eq!(r["unbounded"], false);
        assert_eq!(b["optimal_ci95"], Value::Null);
    }
    // The existing keys are unchanged.
    assert!(j["fits"][0]["stderr"]["E"].is_number());
}

#[test]
fn a_seed_reproduces_and_another_seed_differs() {
    let a = boots(&json(&["--bootstrap", "100", "--seed", "42"]));
    let b = boots(&json(&["--bootstrap", "100", "--seed", "42"]));
    let c = boots(&json(&["--bootstrap", "100", "--seed", "43"]));
    assert_eq!(a, b);
    assert_ne!(a[0]["se"], c[0]["se"]);
    assert_ne!(a[1]["ci95"], c[1]["ci95"]);
    // Without --seed, the documented default (13).
    let d = boots(&json(&["--bootstrap", "100"]));
    let e = boots(&json(&["--bootstrap", "100", "--seed", "13"]));
    assert_eq!(d, e);
}

#[test]
fn threads_do_not_change_the_result() {
    let one = boots(&json(&["--bootstrap", "150", "--threads", "1"]));
    let three = boots(&json(&["--bootstrap", "150", "--threads", "3"]));
    let every = boots(&json(&["--bootstrap", "150"]));
    assert_eq!(one, three);
    assert_eq!(one, every);
}

#[test]
fn a_target_at_the_floor_may_never_be_reached() {
    // The target is group a's fitted floor E: about half the refits put E above it.
    let j = json(&["--bootstrap", "100"]);
    let e = f(&j["fits"][0]["params"]["E"]);
    let target = format!("{}", e + 1e-9);
    let j = json(&["--bootstrap", "100", "--target-loss", &target]);
    let r = &j["fits"][0]["bootstrap"]["required_ci95"];
    assert_eq!(r["unbounded"], true, "{r}");
    assert_eq!(r["x"][1], Value::Null);
    assert!(r["unreachable"].as_u64().expect("count") > 10, "{r}");
}

#[test]
fn text_shows_the_bootstrap_and_bad_counts_are_refused() {
    let path = saturating_groups("text");
    let path = path.to_str().expect("utf-8 path");
    let o = run(&["fit", path, "--form", "saturating", "--bootstrap", "100"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert_eq!(out.matches("bootstrap: 100 resamples").count(), 2, "{out}");
    assert!(
        out.contains("boot SE") && out.contains("95 % percentile"),
        "{out}"
    );
    for bad in ["99", "10001", "x"] {
        let o = run(&["fit", path, "--bootstrap", bad]);
        assert_eq!(o.status.code(), Some(2), "--bootstrap {bad}");
        assert!(o.stdout.is_empty());
        assert!(stderr(&o).contains("--bootstrap"), "{}", stderr(&o));
    }
    let o = run(&["fit", path, "--seed", "3"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_link_is_bootstrapped_when_it_carries_the_data() {
    let path = saturating_groups("link");
    let path = path.to_str().expect("utf-8 path");
    let link_of = |extra: &[&str]| {
        let o = run(&[&["share", path, "--form", "saturating"][..], extra].concat());
        assert!(o.status.success(), "{}", stderr(&o));
        stdout(&o).trim().to_string()
    };
    let fit_link = |link: &str| {
        let o = run(&["fit", "--link", link, "--bootstrap", "100", "--json"]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<Value>(&o.stdout).expect("JSON")
    };
    // The full link carries the table: the same bootstrap as the file.
    let full = fit_link(&link_of(&[]));
    assert_eq!(boots(&full), boots(&json(&["--bootstrap", "100"])));
    // A fit-only link has no data: no bootstrap, and a warning says why.
    let only = fit_link(&link_of(&["--fit-only"]));
    assert!(only["fits"][0].get("bootstrap").is_none());
    let warnings = only["warnings"].to_string();
    assert!(
        warnings.contains("--bootstrap resamples the data"),
        "{warnings}"
    );
}
