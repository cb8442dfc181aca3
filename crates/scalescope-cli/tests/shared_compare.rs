//! `scalescope fit --share` and `scalescope compare` (issue 14, sections 2 and 3): the
//! shared fit's JSON against the core's SciPy reference, the multiplier against its closed
//! form, and what cannot be asked.

mod common;

use common::{core_data, json, run, stderr, stdout};
use serde_json::Value;
use std::path::PathBuf;

/// A temporary CSV holding `text`.
fn file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scalescope-cli-analyses-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!("{name}.csv"));
    std::fs::write(&path, text).expect("temp file");
    path
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// The three families of `scripts/scipy/reference_shared.py` as `family,flops,loss`.
fn reference_families() -> (PathBuf, Value) {
    let text = std::fs::read_to_string(core_data("shared_reference.json")).expect("reference");
    let r: Value = serde_json::from_str(&text).expect("JSON");
    let mut csv = String::from("family,flops,loss\n");
    for g in r["groups"].as_array().expect("groups") {
        let name = g["name"].as_str().expect("name");
        let (x, y) = (g["x"].as_array().expect("x"), g["y"].as_array().expect("y"));
        for (x, y) in x.iter().zip(y) {
            // `{:?}` writes the shortest text that reads back to the same double.
            csv += &format!("{name},{:?},{:?}\n", f(x), f(y));
        }
    }
    (file("families", &csv), r)
}

#[test]
fn share_alpha_matches_scipy() {
    let (path, r) = reference_families();
    let path = path.to_str().expect("utf-8");
    let args = [
        "fit",
        path,
        "--form",
        "saturating",
        "--objective",
        "ls-log",
        "--share",
        "alpha",
    ];
    let j = json(&[&args[..], &["--json"]].concat());
    let s = &j["shared"];
    assert_eq!(s["params"], serde_json::json!(["alpha"]));
    assert_eq!(s["dof"], r["dof"]);
    for (ours, theirs) in [
        (&s["values"]["alpha"], &r["alpha"]),
        (&s["statistic"], &r["F"]),
        (&s["p"], &r["p"]),
        (&s["rss_joint"], &r["rss_joint"]),
        (&s["rss_separate"], &r["rss_separate"]),
    ] {
        assert!(rel(f(ours), f(theirs)) < 1e-6, "{ours} vs SciPy {theirs}");
    }
    // The fits stay the separate ones; the joint per-group parameters are under `shared`.
    let fits = j["fits"].as_array().expect("fits");
    assert_eq!(fits.len(), 3);
    for (fit, g) in fits.iter().zip(r["groups"].as_array().expect("groups")) {
        let sep = f(&g["separate"]["alpha"]);
        assert!(rel(f(&fit["params"]["alpha"]), sep) < 1e-6);
    }
    let groups = s["groups"].as_array().expect("groups");
    assert_eq!(groups[1]["group"], "b");
    assert_eq!(groups[1]["params"]["alpha"], s["values"]["alpha"]);

    // The text says it in one line.
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("one alpha explains all 3 groups: F(2, 21) = 0.439"),
        "{out}"
    );
}

#[test]
fn what_cannot_be_shared_exits_2_with_a_reason() {
    let (path, _) = reference_families();
    let path = path.to_str().expect("utf-8");
    for (extra, says) in [
        (&["--share", "alpha"][..], "least-squares objective"),
        (
            &["--objective", "ls-log", "--share", "beta"][..],
            "no parameter 'beta'",
        ),
        (
            &["--objective", "ls-log", "--fix", "E=1.8", "--share", "E"][..],
            "E is fixed",
        ),
    ] {
        let o = run(&[&["fit", path, "--form", "saturating"][..], extra].concat());
        assert_eq!(o.status.code(), Some(2), "{extra:?}");
        assert!(stderr(&o).contains(says), "{extra:?}: {}", stderr(&o));
        assert!(o.stdout.is_empty());
    }
}

/// Noise-free `E + A·C^−alpha` for groups `base` (A) and `half` (A/2) over 1e15…1e21 FLOP.
fn halved(alpha: f64) -> PathBuf {
    let mut csv = String::from("family,flops,loss\n");
    let a = 5.0 * 1e15f64.powf(alpha);
    for (g, coef) in [("base", a), ("half", a / 2.0)] {
        for k in 0..16 {
            let c = 1e15 * 10f64.powf(6.0 * k as f64 / 15.0);
            csv += &format!("{g},{c:?},{:?}\n", 1.7 + coef * c.powf(-alpha));
        }
    }
    file(&format!("halved-{alpha}"), &csv)
}

#[test]
fn compare_halved_a_is_the_closed_form() {
    // C(L) = ((L − E)/A)^(−1/α); with A/2, C'(L) = 2^(−1/α)·C(L).
    let path = halved(0.3);
    let path = path.to_str().expect("utf-8");
    let j = json(&[
        "compare",
        path,
        "--groups",
        "base,half",
        "--at-loss",
        "2.0",
        "--form",
        "saturating",
        "--objective",
        "ls-log",
        "--json",
    ]);
    let want = 2f64.powf(-1.0 / 0.3);
    assert!(rel(f(&j["multiplier"]), want) < 1e-6, "{}", j["multiplier"]);
    assert_eq!(f(&j["at_loss"]), 2.0);
    assert_eq!(j["of"], "compute");
    let curve = j["curve"].as_array().expect("curve");
    assert_eq!(curve.len(), 20);
    for p in curve {
        assert!(rel(f(&p["multiplier"]), want) < 1e-6, "{p}");
    }

    // A group against itself: exactly 1, inside its interval.
    let j = json(&[
        "compare",
        path,
        "--groups",
        "base,base",
        "--at-loss",
        "2.0",
        "--form",
        "saturating",
        "--objective",
        "ls-log",
        "--json",
    ]);
    assert_eq!(f(&j["multiplier"]), 1.0);
    let ci = j["ci95"].as_array().expect("ci95");
    assert!(f(&ci[0]) <= 1.0 && 1.0 <= f(&ci[1]), "{ci:?}");

    // Text.
    let o = run(&[
        "compare",
        path,
        "--groups",
        "base,half",
        "--at-loss",
        "2.0",
        "--form",
        "saturating",
        "--objective",
        "ls-log",
    ]);
    assert!(
        stdout(&o).starts_with("half against base at loss 2: 0.09921× the compute"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn compare_errors_exit_2() {
    let path = halved(0.35);
    let path = path.to_str().expect("utf-8");
    let base = [
        "compare",
        path,
        "--form",
        "saturating",
        "--objective",
        "ls-log",
    ];
    for (extra, says) in [
        (
            &["--groups", "base,nope", "--at-loss", "2"][..],
            "no group 'nope'",
        ),
        (&["--groups", "base", "--at-loss", "2"][..], "two groups"),
        (
            &["--groups", "base,half", "--at-loss", "1.5"][..],
            "cannot reach loss 1.5",
        ),
    ] {
        let o = run(&[&base[..], extra].concat());
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stdout(&o));
        assert!(stderr(&o).contains(says), "{extra:?}: {}", stderr(&o));
    }
}

/// `halved`'s two groups with 2 % of deterministic multiplicative scatter (a different
/// pattern per group), so that resamples differ.
fn halved_noisy(alpha: f64) -> PathBuf {
    let mut csv = String::from("family,flops,loss\n");
    let a = 5.0 * 1e15f64.powf(alpha);
    for (g, coef, step) in [("base", a, 7), ("half", a / 2.0, 3)] {
        for k in 0..16 {
            let c = 1e15 * 10f64.powf(6.0 * k as f64 / 15.0);
            let scatter = 0.02 * ((k * step % 5) as f64 - 2.0) / 2.0;
            csv += &format!(
                "{g},{c:?},{:?}\n",
                (1.7 + coef * c.powf(-alpha)) * (1.0 + scatter)
            );
        }
    }
    file(&format!("halved-noisy-{alpha}"), &csv)
}

#[test]
fn compare_bootstrap_brackets_the_multiplier() {
    let path = halved_noisy(0.3);
    let path = path.to_str().expect("utf-8");
    let args = [
        "compare",
        path,
        "--groups",
        "base,half",
        "--at-loss",
        "2.5",
        "--form",
        "saturating",
        "--objective",
        "ls-log",
        "--points",
        "5",
        "--json",
    ];
    let plain = json(&args);
    assert!(plain.get("ci95_bootstrap").is_none() && plain.get("bootstrap").is_none());
    let boot = [&args[..], &["--bootstrap", "300", "--seed", "5"]].concat();
    let j = json(&boot);
    // The keys without --bootstrap are unchanged, in the same order, with the same values.
    for (key, value) in plain.as_object().expect("object") {
        if key != "curve" {
            assert_eq!(&j[key], value, "{key}");
        }
    }
    let keys: Vec<&str> = j
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    let at = |k: &str| keys.iter().position(|x| *x == k).expect(k);
    assert_eq!(at("ci95_bootstrap"), at("ci95") + 1, "{keys:?}");
    let m = f(&j["multiplier"]);
    let want = 2f64.powf(-1.0 / 0.3);
    let ci = j["ci95_bootstrap"].as_array().expect("ci95_bootstrap");
    let (lo, hi) = (f(&ci[0]), f(&ci[1]));
    assert!(
        lo < m && m < hi && lo < want && want < hi,
        "[{lo}, {hi}] vs {m}, {want}"
    );
    // Of the delta method's size: within a factor 2 on the log scale.
    let delta = j["ci95"].as_array().expect("ci95");
    let ratio = (hi / lo).ln() / (f(&delta[1]) / f(&delta[0])).ln();
    assert!((0.5..2.0).contains(&ratio), "width ratio {ratio}");
    let b = &j["bootstrap"];
    assert_eq!(b["resamples"], 300);
    assert_eq!(b["used"], 300);
    for k in [
        "failed",
        "baseline_unreachable",
        "other_unreachable",
        "neither",
    ] {
        assert_eq!(b[k], 0, "{k}");
    }
    assert_eq!(
        (&b["unbounded"], &b["error"]),
        (&false.into(), &Value::Null)
    );
    // Along the curve too, each bracketing its multiplier.
    let curve = j["curve"].as_array().expect("curve");
    assert_eq!(curve.len(), 5);
    for p in curve {
        let ci = p["ci95_bootstrap"].as_array().expect("ci95_bootstrap");
        let (lo, hi) = (f(&ci[0]), f(&ci[1]));
        assert!(
            lo <= f(&p["multiplier"]) && f(&p["multiplier"]) <= hi,
            "{p}"
        );
    }
    // A pure function of the seed, whatever the threads.
    let one = json(&[&boot[..], &["--threads", "1"]].concat());
    let three = json(&[&boot[..], &["--threads", "3"]].concat());
    assert_eq!((&one, &three), (&j, &j));
    let other_seed = json(&[&args[..], &["--bootstrap", "300", "--seed", "6"]].concat());
    assert_ne!(other_seed["ci95_bootstrap"], j["ci95_bootstrap"]);

    // A group against itself: 1 inside (its two resamples are independent).
    let same = [
        "compare",
        path,
        "--groups",
        "half,half",
        "--at-loss",
        "2.5",
        "--form",
        "saturating",
        "--objective",
        "ls-log",
        "--bootstrap",
        "200",
        "--json",
    ];
    let j = json(&same);
    let ci = j["ci95_bootstrap"].as_array().expect("ci95_bootstrap");
    assert!(f(&ci[0]) < 1.0 && 1.0 < f(&ci[1]), "{ci:?}");

    // The text says it in one line.
    let text: Vec<&str> = args
        .iter()
        .copied()
        .filter(|a| *a != "--json")
        .chain(["--bootstrap", "300", "--seed", "5"])
        .collect();
    let o = run(&text);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let line = format!(
        "  bootstrap: 95 % [{}, {}] (300 resamples of each group, 300 used, seed 5)",
        scalescope_core::format::sig(lo, 3),
        scalescope_core::format::sig(hi, 3)
    );
    assert!(out.contains(&line), "{line}\n{out}");
    assert!(out.contains("bootstrap 95 %"), "{out}");
}

#[test]
fn compare_bootstrap_options_are_checked() {
    let path = halved_noisy(0.35);
    let path = path.to_str().expect("utf-8");
    let base = [
        "compare",
        path,
        "--groups",
        "base,half",
        "--at-loss",
        "2.5",
        "--form",
        "saturating",
    ];
    for (extra, says) in [
        (&["--bootstrap", "99"][..], "100..=10000"),
        (&["--seed", "4"][..], "--bootstrap"),
        (&["--threads", "2"][..], "--bootstrap"),
    ] {
        let o = run(&[&base[..], extra].concat());
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stdout(&o));
        assert!(stderr(&o).contains(says), "{extra:?}: {}", stderr(&o));
    }
}

#[test]
fn compare_bootstrap_without_an_interval_says_why() {
    // Four runs per group for a three-parameter law: a resample needs at least three
    // distinct runs of each group (probability 168/256 per group, 43 % for both), so most
    // pairs cannot be refitted and there is no interval, with the counts as the reason.
    let path = file(
        "four-runs",
        "family,flops,loss\na,1e18,3.1\na,1e19,2.6\na,1e20,2.3\na,1e21,2.15\n\
         b,1e18,3.0\nb,1e19,2.5\nb,1e20,2.25\nb,1e21,2.1\n",
    );
    let path = path.to_str().expect("utf-8");
    let args = [
        "compare",
        path,
        "--groups",
        "a,b",
        "--at-loss",
        "2.4",
        "--form",
        "saturating",
        "--bootstrap",
        "100",
    ];
    let j = json(&[&args[..], &["--json"]].concat());
    assert_eq!(j["ci95_bootstrap"], Value::Null);
    let b = &j["bootstrap"];
    let (used, failed) = (
        b["used"].as_u64().expect("used"),
        b["failed"].as_u64().expect("failed"),
    );
    assert!(used <= 60 && used + failed == 100, "{b}");
    let error = b["error"].as_str().expect("error");
    assert!(
        error.starts_with(&format!("only {used} of 100 resamples give a multiplier")),
        "{error}"
    );
    // The delta method's interval is still there, and the text says why there is no other.
    assert_eq!(j["ci95"].as_array().map(Vec::len), Some(2));
    let o = run(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("  bootstrap (seed 13): {error}")),
        "{}",
        stdout(&o)
    );
}
