//! `scalescope fit --formula`: a custom law typed on the command line gives the built-in
//! law it spells out, reaches SciPy's multi-start optimum for a law that is not built in,
//! and names its parameters as typed.

mod common;

use std::path::PathBuf;

use common::{core_data, run};

use serde_json::Value;

fn data(file: &str) -> String {
    core_data(file).to_str().expect("utf-8 path").to_string()
}

fn epoch() -> String {
    let p =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/chinchilla_epoch.csv");
    p.to_str().expect("utf-8 path").to_string()
}

/// The only fit of `scalescope fit PATH ARGS… --json`.
fn fit_of(path: &str, args: &[&str]) -> Value {
    let o = run(&[&["fit", path, "--json"][..], args].concat());
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status,
        String::from_utf8_lossy(&o.stderr)
    );
    let j: Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(j["fits"].as_array().map(Vec::len), Some(1), "{j}");
    j["fits"][0].clone()
}

fn objective(f: &Value) -> f64 {
    f["metrics"]["objective"].as_f64().expect("objective")
}

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

/// Same parameters (by name) and objective as the built-in, to `tol` relative.
fn assert_same_fit(typed: &Value, built: &Value, names: &[&str], tol: f64) {
    let d = rel(objective(typed), objective(built));
    println!(
        "formula {:.16e}, built-in {:.16e}, rel {d:.2e}",
        objective(typed),
        objective(built)
    );
    assert!(d < tol, "objective rel {d}");
    for n in names {
        let (a, b) = (
            typed["params"][n].as_f64().unwrap(),
            built["params"][n].as_f64().unwrap(),
        );
        assert!(rel(a, b) < 1e-6, "{n}: {a} vs {b}");
    }
}

#[test]
fn formula_of_saturating_is_the_built_in() {
    for objective in ["ls-log", "huber-log:1e-3", "ls", "asym-log:10"] {
        let typed = fit_of(
            &data("offset.csv"),
            &["--formula", "E + A*x^-alpha", "--objective", objective],
        );
        let built = fit_of(
            &data("offset.csv"),
            &["--form", "saturating", "--objective", objective],
        );
        assert_eq!(typed["form"], "E + A*x^-alpha");
        assert_same_fit(&typed, &built, &["E", "A", "alpha"], 1e-8);
    }
}

#[test]
fn formula_of_chinchilla_is_the_built_in_on_epochs_data() {
    let args = ["--objective", "huber-log:1e-3"];
    let typed = fit_of(
        &epoch(),
        &[&["--formula", "E + A*N^-alpha + B*D^-beta"][..], &args].concat(),
    );
    let built = fit_of(&epoch(), &[&["--form", "chinchilla"][..], &args].concat());
    assert_same_fit(&typed, &built, &["E", "A", "B", "alpha", "beta"], 1e-8);
}

#[test]
fn offset_law_reaches_scipys_multistart_optimum() {
    let r: Value =
        serde_json::from_str(&std::fs::read_to_string(data("offset.json")).unwrap()).unwrap();
    let scipy = r["objective"].as_f64().unwrap();
    for extra in [
        &[][..],
        &["--start", "x0=1e6,alpha=0.3", "--positive", "A,x0"][..],
    ] {
        let f = fit_of(
            &data("offset.csv"),
            &[
                &[
                    "--formula",
                    "E + A*(x + x0)^-alpha",
                    "--objective",
                    "ls-log",
                ][..],
                extra,
            ]
            .concat(),
        );
        println!("{extra:?}: {:.16e} vs scipy {scipy:.16e}", objective(&f));
        assert!(objective(&f) <= scipy * (1.0 + 1e-9), "{}", objective(&f));
        assert!(rel(f["params"]["x0"].as_f64().unwrap(), 360517730.16505903) < 1e-5);
        assert_eq!(f["form"], "E + A*(x + x0)^-alpha");
        // The fit says which start won, by parameter name.
        assert!(f["start"]["x0"].as_f64().is_some(), "{}", f["start"]);
    }
}

/// A share link carries the formula with its positive parameters: `fit --link` refits the
/// same law to the same optimum.
#[test]
fn a_link_with_a_formula_refits_the_same_law() {
    let args = [
        "--formula",
        "E + A*(x + x0)^-alpha",
        "--positive",
        "A,x0",
        "--objective",
        "ls-log",
    ];
    let o = run(&[&["share", &data("offset.csv")][..], &args].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    let link = stdout.lines().last().expect("a link").trim().to_string();
    let o = run(&["fit", "--link", &link, "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let j: Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    let from_link = &j["fits"][0];
    let direct = fit_of(&data("offset.csv"), &args);
    assert_eq!(from_link["form"], "E + A*(x + x0)^-alpha");
    assert_same_fit(from_link, &direct, &["E", "A", "x0", "alpha"], 1e-12);
}

#[test]
fn bad_formulas_and_options_are_usage_errors() {
    for (args, want) in [
        (
            &["--formula", "E + A*x^"][..],
            "--formula: col 9: expected an operand after '^'",
        ),
        (
            &["--formula", "E + A*x^-alpha", "--start", "B=2"][..],
            "'B' is not a parameter of the formula (its parameters are E, A, alpha)",
        ),
        (
            &[
                "--formula",
                "E + A*x^-alpha",
                "--positive",
                "A",
                "--start",
                "A=-1",
            ][..],
            "start A = -1 must be finite and positive",
        ),
    ] {
        let o = run(&[&["fit", &data("offset.csv")][..], args].concat());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(want), "{err}");
    }
}

/// Issue 12: a table's input headers are input names too: over Epoch's data with the
/// headers `params,tokens,flops,loss`, `params` is N and `tokens` is D, and the law is the
/// built-in chinchilla's (written in N and D).
#[test]
fn input_headers_name_the_inputs() {
    let text = std::fs::read_to_string(epoch()).expect("Epoch's data");
    let renamed = text.replacen("N,D,C,loss", "params,tokens,flops,loss", 1);
    assert_ne!(renamed, text, "the header was replaced");
    let dir = std::env::temp_dir().join(format!("scalescope-headers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("epoch-headers.csv");
    std::fs::write(&path, renamed).expect("write");
    let path = path.to_str().expect("utf-8 path").to_string();
    let args = ["--objective", "huber-log:1e-3"];
    let typed = fit_of(
        &path,
        &[
            &["--formula", "E + A*params^-alpha + B*tokens^-beta"][..],
            &args,
        ]
        .concat(),
    );
    assert_eq!(typed["form"], "E + A*N^-alpha + B*D^-beta");
    let built = fit_of(&epoch(), &[&["--form", "chinchilla"][..], &args].concat());
    assert_same_fit(&typed, &built, &["E", "A", "B", "alpha", "beta"], 1e-8);
}
