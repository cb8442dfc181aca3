//! The analyses of issue 14 through the binary: `scalescope isoflop` on the committed
//! sweeps of a known Chinchilla surface (NumPy's answers beside them, from
//! `scripts/scipy/isoflop_reference.py`), and `scalescope fit --against PRESET` on Epoch
//! AI's 240 points.

mod common;

use common::{core_data, json, run, stderr, stdout};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

fn reference(name: &str) -> Value {
    let text = std::fs::read_to_string(core_data(&format!("isoflop_{name}.json"))).expect("JSON");
    serde_json::from_str(&text).expect("reference JSON")
}

fn sweep(name: &str) -> String {
    core_data(&format!("isoflop_{name}.csv"))
        .to_str()
        .expect("utf-8 path")
        .to_string()
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scalescope-cli-analyses-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path
}

#[test]
fn isoflop_json_matches_numpy_and_has_the_issues_shape() {
    for name in ["4x", "4x_noisy", "32x"] {
        let j = json(&["isoflop", &sweep(name), "--json", "--bootstrap", "200"]);
        let r = reference(name);
        assert!(
            (num(&j["a"]) - num(&r["a"])).abs() < 1e-9,
            "{name}: {} vs {}",
            j["a"],
            r["a"]
        );
        assert!((num(&j["b"]) - num(&r["b"])).abs() < 1e-9, "{name}");
        let (budgets, expected) = (
            j["budgets"].as_array().expect("budgets"),
            r["budgets"].as_array().expect("budgets"),
        );
        assert_eq!(budgets.len(), 7);
        for (b, e) in budgets.iter().zip(expected) {
            assert_eq!(num(&b["C"]), num(&e["C"]));
            assert!((num(&b["N_opt"]) / num(&e["N_opt"]) - 1.0).abs() < 1e-9);
            assert!((num(&b["D_opt"]) / num(&e["D_opt"]) - 1.0).abs() < 1e-9);
            assert!((num(&b["loss_opt"]) - num(&e["loss_opt"])).abs() < 1e-11);
            assert_eq!(b["n"], 9);
        }
        let ci = j["a_ci95"].as_array().expect("a_ci95");
        assert!(
            num(&ci[0]) <= num(&j["a"]) && num(&j["a"]) <= num(&ci[1]),
            "{name}: {ci:?}"
        );
        assert_eq!(j["bootstrap"]["resamples"], 200);
        assert!(j["refused"].as_array().is_some_and(Vec::is_empty));
        let warnings = j["warnings"].as_array().expect("warnings");
        let wide = warnings
            .iter()
            .any(|w| w.as_str().is_some_and(|s| s.contains("±16×")));
        assert_eq!(wide, name == "32x", "{name}: {warnings:?}");
        if name != "32x" {
            assert!(warnings.is_empty(), "{name}: {warnings:?}");
        }
    }
}

#[test]
fn isoflop_refuses_a_budget_with_its_reason_and_reads_a_budget_column() {
    // Three budgets on exact parabolas in ln N; the third's sizes all lie below its minimum.
    let mut text = String::from("budget,params,loss\n");
    for (c, n_opt, ks) in [
        (1e18, 1e8, [-2, -1, 0, 1, 2]),
        (1e19, 3e8, [-2, -1, 0, 1, 2]),
        (1e20, 1e9, [-6, -5, -4, -3, -2]),
    ] {
        for k in ks {
            let n = n_opt * 2f64.powi(k);
            let u = (n / n_opt).ln();
            text += &format!("{c:e},{n:e},{}\n", 2.5 + 0.05 * u * u);
        }
    }
    let path = temp_file("refused.csv", &text);
    let path = path.to_str().expect("utf-8 path");
    let j = json(&["isoflop", path, "--json"]);
    assert_eq!(j["budgets"].as_array().map(Vec::len), Some(2));
    let refused = j["refused"].as_array().expect("refused");
    assert_eq!(refused.len(), 1);
    assert_eq!(num(&refused[0]["C"]), 1e20);
    let reason = refused[0]["reason"].as_str().expect("reason");
    assert!(
        reason.contains("beyond the largest model sampled; add a larger one"),
        "{reason}"
    );
    // Minima at 1e8 and 3e8 for budgets 1e18 and 1e19: a = log10(3).
    assert!((num(&j["a"]) - 3f64.log10()).abs() < 1e-9, "{}", j["a"]);
    let text_out = stdout(&run(&["isoflop", path]));
    assert!(
        text_out.contains("refused: budget 1.0e20: the minimum"),
        "{text_out}"
    );
    assert!(text_out.contains("a = 0.4771"), "{text_out}");
}

#[test]
fn isoflop_without_a_size_column_is_bad_input() {
    let path = temp_file("no-n.csv", "flops,loss\n1e18,3\n1e19,2.8\n1e20,2.6\n");
    let o = run(&["isoflop", path.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("isoFLOP profiles need two of"),
        "{}",
        stderr(&o)
    );
    assert!(o.stdout.is_empty());
}

/// Epoch AI's Chinchilla data without the 5 highest losses (240 points), as a file of its
/// own (the tests run in parallel).
fn chinchilla_240() -> PathBuf {
    static FILES: AtomicUsize = AtomicUsize::new(0);
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/chinchilla_epoch.csv");
    let text = std::fs::read_to_string(&path).expect("shared/data/chinchilla_epoch.csv");
    let mut lines = text.lines();
    let header = lines.next().expect("header");
    let mut rows: Vec<(f64, &str)> = lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let loss = l
                .rsplit(',')
                .next()
                .and_then(|v| v.parse().ok())
                .expect("loss");
            (loss, l)
        })
        .collect();
    rows.sort_by(|a, b| a.0.total_cmp(&b.0));
    rows.truncate(rows.len() - 5);
    assert_eq!(rows.len(), 240);
    let mut out = format!("{header}\n");
    for (_, l) in rows {
        out += l;
        out.push('\n');
    }
    let k = FILES.fetch_add(1, Ordering::Relaxed);
    temp_file(&format!("epoch240-{k}.csv"), &out)
}

/// `against` of `scalescope fit EPOCH240 --against PRESET --json ARGS…`.
fn against_of(preset: &str, args: &[&str]) -> Value {
    let path = chinchilla_240();
    let path = path.to_str().expect("utf-8 path");
    let j = json(&[&["fit", path, "--against", preset, "--json"][..], args].concat());
    let fits = j["fits"].as_array().expect("fits");
    assert_eq!(fits.len(), 1);
    assert_eq!(fits[0]["objective"], "huber-log:0.001");
    fits[0]["against"].clone()
}

#[test]
fn against_rejects_hoffmann_and_keeps_epoch_on_epochs_points() {
    for (args, covariance) in [
        (&[][..], "analytic"),
        (&["--bootstrap", "300", "--seed", "7"][..], "bootstrap"),
    ] {
        let h = against_of("hoffmann2022", args);
        let e = against_of("epoch2024", args);
        for (a, law) in [(&h, "hoffmann2022"), (&e, "epoch2024")] {
            assert_eq!(a["law"], law);
            assert_eq!(a["dof"], 5);
            assert_eq!(a["covariance"], covariance);
        }
        assert!(num(&h["p"]) < 1e-10, "{covariance}: {h}");
        assert!(num(&h["chi2"]) > 100.0, "{covariance}: {h}");
        assert!(num(&e["p"]) > 0.05, "{covariance}: {e}");
    }
}

#[test]
fn against_another_law_is_bad_input_and_text_has_a_line() {
    let path = chinchilla_240();
    let path = path.to_str().expect("utf-8 path");
    let o = run(&[
        "fit",
        path,
        "--x",
        "N",
        "--form",
        "saturating",
        "--against",
        "hoffmann2022",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o)
            .contains("--against: hoffmann2022 is a chinchilla law and the fit is saturating"),
        "{}",
        stderr(&o)
    );
    let o = run(&["fit", path, "--against", "nobody2019"]);
    assert_eq!(o.status.code(), Some(2));
    let text = stdout(&run(&["fit", path, "--against", "epoch2024"]));
    assert!(text.contains("against epoch2024 (Epoch AI 2024"), "{text}");
    assert!(text.contains("on 5 dof (E, A, B, alpha, beta)"), "{text}");
}
