//! `scalescope share` and `scalescope fit --link`: a link fits to the same JSON as the file
//! it was made from; a fit-only link is short and carries the same laws; a bad link is a
//! clear error (exit 2); the page's JSON export (`scalescope_core::export`) has the CLI's
//! shape and values.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use scalescope_core::analysis::{analyze, AnalysisOptions};
use scalescope_core::export::{fit_json, Questions};
use scalescope_core::table::{read_table, ColumnRef, ReadOptions, Role};
use scalescope_core::{Form, Objective};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scalescope"))
        .args(args)
        .env_remove("SCALESCOPE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    drop(child.stdin.take());
    let _ = std::io::stdout().flush();
    child.wait_with_output().expect("the binary finishes")
}

fn ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn json(o: &Output) -> Value {
    serde_json::from_str(&ok(o)).expect("stdout is JSON")
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scalescope-share-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("temp file");
    path
}

/// Two families with 1 % deterministic wiggle, a comment, an unusable row and an odd
/// column name: exercises groups, skipped rows and role choices.
fn families_csv() -> String {
    let mut text = String::from("family;size;eval loss;note\n# runs\n");
    for (fam, e, a, alpha) in [("dense", 1.69, 406.4, 0.34), ("wide", 1.75, 520.0, 0.36)] {
        for k in 0..10 {
            let n = 2e7 * 2.5f64.powi(k);
            let wiggle = 1.0 + 0.01 * ((k * 7 % 5) as f64 - 2.0) / 2.0;
            text += &format!("{fam};{n};{};r{k}\n", (e + a * n.powf(-alpha)) * wiggle);
        }
    }
    text + "dense;1e12;n/a;broken\n"
}

fn chinchilla_csv() -> String {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/chinchilla_epoch.csv");
    std::fs::read_to_string(path).expect("shared/data/chinchilla_epoch.csv")
}

/// `share FILE OPTIONS` then `fit --link LINK --json` equals `fit FILE OPTIONS --json`.
fn same_json_through_a_link(name: &str, csv: &str, options: &[&str]) -> Value {
    let path = temp_file(name, csv);
    let file = path.to_str().expect("utf-8 path");
    let link = ok(&run(&[&["share", file], options].concat()));
    let link = link.trim();
    assert!(link.starts_with("http://127.0.0.1:8080/#"), "{link}");
    let direct = json(&run(&[&["fit", file], options, &["--json"]].concat()));
    let via_link = json(&run(&["fit", "--link", link, "--json"]));
    assert_eq!(via_link, direct, "link: {link}");
    // The bare fragment works too.
    let fragment = link.split_once('#').map(|(_, f)| f).unwrap_or_default();
    assert_eq!(json(&run(&["fit", "--link", fragment, "--json"])), direct);
    direct
}

#[test]
fn share_then_fit_link_gives_the_same_json_as_the_file() {
    let direct = same_json_through_a_link(
        "families.csv",
        &families_csv(),
        &[
            "--x",
            "size",
            "--y",
            "eval loss",
            "--group",
            "1",
            "--form",
            "saturating",
            "--objective",
            "ls-log",
            "--target-ppl",
            "8",
        ],
    );
    assert_eq!(direct["fits"].as_array().map(Vec::len), Some(2));
    assert_eq!(direct["skipped"].as_array().map(Vec::len), Some(1));
    assert!(direct["fits"][0]["required"]["target_ppl"].is_number());
}

#[test]
fn share_then_fit_link_gives_the_same_json_for_chinchilla_with_a_budget() {
    let direct = same_json_through_a_link(
        "chinchilla.csv",
        &chinchilla_csv(),
        &["--compute", "1e24", "--target-loss", "2.1"],
    );
    assert_eq!(direct["fits"][0]["form"], "chinchilla");
    assert!(direct["fits"][0]["optimal"]["N"].is_number());
}

#[test]
fn a_fit_only_link_is_short_and_carries_the_same_laws() {
    let path = temp_file("families-fit-only.csv", &families_csv());
    let file = path.to_str().expect("utf-8 path");
    let options = ["--x", "size", "--y", "eval loss", "--group", "family"];
    let link = ok(&run(
        &[&["share", file, "--fit-only"][..], &options].concat()
    ));
    let link = link.trim();
    // 479 characters: the Huber fits now carry their covariance (their intervals) and the
    // smoothed-sandwich note; under 400 before only because the covariance was dropped.
    assert!(link.len() < 560, "{} characters: {link}", link.len());
    let direct = json(&run(&[
        &["fit", file, "--json", "--target-loss", "2.5"][..],
        &options,
    ]
    .concat()));
    let shared = json(&run(&[
        "fit",
        "--link",
        link,
        "--json",
        "--target-loss",
        "2.5",
    ]));
    for (d, s) in direct["fits"]
        .as_array()
        .into_iter()
        .flatten()
        .zip(shared["fits"].as_array().into_iter().flatten())
    {
        for key in [
            "group",
            "form",
            "objective",
            "n",
            "params",
            "stderr",
            "ci95",
            "required",
        ] {
            assert_eq!(d[key], s[key], "{key}");
        }
    }
    assert_eq!(shared["fits"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_bad_link_exits_2_with_a_message() {
    for (link, says) in [
        ("http://127.0.0.1:8080/#", "no state"),
        ("#AXja!!", "damaged"),
        ("#AXjaATsAxP8AEW0sTixsb3Nz", "incomplete"),
    ] {
        let o = run(&["fit", "--link", link]);
        assert_eq!(o.status.code(), Some(2), "{link}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(says), "{link}: {err}");
        assert!(o.stdout.is_empty());
    }
}

/// The page exports the fit with `scalescope_core::export::fit_json`: same JSON as the CLI.
#[test]
fn the_pages_json_export_matches_the_cli() {
    let csv = families_csv();
    let path = temp_file("families-export.csv", &csv);
    let file = path.to_str().expect("utf-8 path");
    let cli = json(&run(&[
        "fit",
        file,
        "--x",
        "size",
        "--y",
        "eval loss",
        "--form",
        "saturating",
        "--target-loss",
        "2.4",
        "--json",
    ]));
    // As the page reads it: roles by column, positivity for the fit.
    let form = Form::Saturating;
    let options = ReadOptions::new()
        .with_positivity(form.positivity(Objective::default_for(form)))
        .with_role(ColumnRef::Index(1), Role::X)
        .with_role(ColumnRef::Index(2), Role::Loss);
    let table = read_table(&csv, &options).expect("table reads");
    let analysis = analyze(
        &table,
        &AnalysisOptions {
            form,
            ..AnalysisOptions::default()
        },
    );
    let page = fit_json(
        Some(&table),
        &analysis,
        Questions {
            target: Some((2.4, None)),
            compute: None,
        },
    );
    let page: Value = serde_json::from_str(&page).expect("the export is JSON");
    assert_eq!(page, cli);
}
