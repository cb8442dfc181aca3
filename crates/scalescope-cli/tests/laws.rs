//! The `scalescope` binary on the newer laws and options, against the SciPy/NumPy
//! references committed under `scripts/scipy/` (their data and results are in
//! `crates/scalescope-core/tests/data/`): quadlog, bnsl, kaplan-nd, asym-log, `--fix`.

mod common;

use common::{core_data as data, run, stderr};

use scalescope_core::presets::Model;
use scalescope_core::share::{self, Link};
use scalescope_core::Form;
use serde_json::Value;

/// The only fit of `scalescope fit FILE ARGS… --json` on a reference data file.
fn fit_of(file: &str, args: &[&str]) -> Value {
    let path = data(file);
    let path = path.to_str().expect("utf-8 path");
    let o = run(&[&["fit", path, "--json"][..], args].concat());
    assert!(o.status.success(), "exit {:?}: {}", o.status, stderr(&o));
    let j: Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(j["fits"].as_array().map(Vec::len), Some(1), "{j}");
    j["fits"][0].clone()
}

/// A SciPy reference (`<name>.json`).
fn reference(file: &str) -> Value {
    let text = std::fs::read_to_string(data(file)).expect("reference JSON");
    serde_json::from_str(&text).expect("reference is JSON")
}

/// The `(x, loss)` rows of a one-input data file.
fn rows(file: &str) -> Vec<(f64, f64)> {
    let text = std::fs::read_to_string(data(file)).expect("data file");
    text.lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (x, y) = l.split_once(',').expect("two columns");
            (x.parse().expect("x"), y.parse().expect("loss"))
        })
        .collect()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

fn rel(got: f64, want: f64) -> f64 {
    ((got - want) / want).abs()
}

/// The fit's parameters in the law's order.
fn params(fit: &Value, form: Form) -> Vec<f64> {
    form.param_names()
        .iter()
        .map(|n| f(&fit["params"][*n]))
        .collect()
}

#[test]
fn quadlog_equals_numpy_polyfit() {
    let fit = fit_of("quadlog.csv", &["--form", "quadlog"]);
    let want = reference("quadlog.json");
    assert_eq!(fit["objective"], "ls-log");
    for name in ["a", "b", "c"] {
        let (got, scipy) = (f(&fit["params"][name]), f(&want["params"][name]));
        assert!(rel(got, scipy) <= 1e-9, "{name}: {got} vs numpy {scipy}");
        let (se, scipy_se) = (f(&fit["stderr"][name]), f(&want["stderr"][name]));
        assert!(
            rel(se, scipy_se) <= 1e-9,
            "SE {name}: {se} vs numpy {scipy_se}"
        );
        assert_eq!(fit["fixed"][name], false);
    }
    let (got, scipy) = (f(&fit["metrics"]["objective"]), f(&want["objective"]));
    assert!(rel(got, scipy) <= 1e-9, "objective {got} vs {scipy}");
}

/// The objective reached is no worse than SciPy's best of many starts.
fn at_most_scipy(file: &str, args: &[&str], reference_file: &str) -> Value {
    let fit = fit_of(file, args);
    let want = reference(reference_file);
    assert_eq!(
        fit["objective"].as_str(),
        want["objective_spec"].as_str(),
        "the objective fitted is the reference's"
    );
    let (got, scipy) = (f(&fit["metrics"]["objective"]), f(&want["objective"]));
    assert!(
        got <= scipy * (1.0 + 1e-9),
        "objective {got:e} vs SciPy {scipy:e} (ratio {})",
        got / scipy
    );
    assert_eq!(fit["converged"], true, "{}", fit["termination"]);
    fit
}

#[test]
fn bnsl_reaches_scipys_objective() {
    at_most_scipy("bnsl.csv", &["--form", "bnsl"], "bnsl.json");
}

#[test]
fn kaplan_nd_reaches_scipys_objective() {
    let fit = at_most_scipy(
        "kaplan_nd.csv",
        &["--form", "kaplan-nd", "--objective", "huber-log:1e-3"],
        "kaplan_nd.json",
    );
    assert_eq!(fit["n"], 36);
}

/// Points at or above the fitted saturating curve.
fn at_or_above(fit: &Value) -> usize {
    let p = params(fit, Form::Saturating);
    rows("asym.csv")
        .iter()
        .filter(|&&(x, y)| y >= Form::Saturating.eval(&p, x, None))
        .count()
}

#[test]
fn asym_log_fits_a_lower_envelope() {
    let n = rows("asym.csv").len();
    assert_eq!(n, 60);
    let want = reference("asym.json");

    let envelope = fit_of(
        "asym.csv",
        &["--form", "saturating", "--objective", "asym-log:10"],
    );
    assert_eq!(envelope["objective"], "asym-log:10");
    let scipy = &want["fits"]["asym-log:10"];
    let (got, best) = (f(&envelope["metrics"]["objective"]), f(&scipy["objective"]));
    assert!(got <= best * (1.0 + 1e-9), "asym-log {got} vs SciPy {best}");
    // 47 of 60 points (78 %) on or above the curve, as at SciPy's optimum: the 18 worsened
    // runs and most of the rest.
    let above = at_or_above(&envelope);
    assert_eq!(Some(above as u64), scipy["points_at_or_above"].as_u64());
    assert!(above as f64 >= 0.75 * n as f64, "{above} of {n}");

    let ls = fit_of(
        "asym.csv",
        &["--form", "saturating", "--objective", "ls-log"],
    );
    assert_eq!(ls["objective"], "ls-log");
    let (got, best) = (
        f(&ls["metrics"]["objective"]),
        f(&want["fits"]["ls-log"]["objective"]),
    );
    assert!(got <= best * (1.0 + 1e-9), "ls-log {got} vs SciPy {best}");
    let above_ls = at_or_above(&ls) as f64 / n as f64;
    assert!((0.35..=0.65).contains(&above_ls), "ls-log: {above_ls}");
    // The envelope sits below the least-squares curve: a lower floor E.
    assert!(f(&envelope["params"]["E"]) < f(&ls["params"]["E"]));
}

#[test]
fn a_fixed_parameter_is_held_and_not_counted() {
    let fit = fit_of(
        "asym.csv",
        &[
            "--form",
            "saturating",
            "--objective",
            "ls-log",
            "--fix",
            "E=1.95",
        ],
    );
    assert_eq!(f(&fit["params"]["E"]), 1.95);
    assert_eq!(fit["fixed"]["E"], true);
    assert_eq!(fit["fixed"]["A"], false);
    assert_eq!(fit["fixed"]["alpha"], false);
    assert_eq!(f(&fit["stderr"]["E"]), 0.0);
    assert!(f(&fit["stderr"]["A"]) > 0.0);
    assert_eq!(fit["n"], 60);
    assert_eq!(fit["metrics"]["dof"], 60 - 2);
    // Holding E can only cost objective against the free fit, which counts three
    // parameters.
    let free = fit_of(
        "asym.csv",
        &["--form", "saturating", "--objective", "ls-log"],
    );
    assert!(f(&fit["metrics"]["objective"]) >= f(&free["metrics"]["objective"]));
    assert_eq!(free["metrics"]["dof"], 60 - 3);
}

#[test]
fn kaplan_nd_answers_are_the_models() {
    let fit = fit_of(
        "kaplan_nd.csv",
        &[
            "--form",
            "kaplan-nd",
            "--target-loss",
            "2.2",
            "--compute",
            "1e22",
        ],
    );
    let model = Model::of(Form::KaplanNd, params(&fit, Form::KaplanNd));
    let optimal = model.optimal_allocation(1e22).expect("a frontier at 1e22");
    let o = &fit["optimal"];
    assert_eq!(f(&o["compute"]), optimal.compute);
    assert_eq!(f(&o["N"]), optimal.n);
    assert_eq!(f(&o["D"]), optimal.d);
    assert_eq!(f(&o["loss"]), optimal.loss);
    assert_eq!(f(&o["tokens_per_param"]), optimal.tokens_per_param);
    assert!(rel(6.0 * optimal.n * optimal.d, 1e22) < 1e-12);

    let need = model.compute_for_loss(2.2).expect("2.2 is reachable");
    let r = &fit["required"];
    assert_eq!(f(&r["target_loss"]), 2.2);
    assert_eq!(f(&r["compute"]), need.compute);
    assert_eq!(f(&r["N"]), need.n);
    assert_eq!(f(&r["D"]), need.d);
    assert!((f(&r["loss"]) - 2.2).abs() < 1e-9, "{r}");
}

#[test]
fn fix_errors_read_well() {
    let path = data("asym.csv");
    let file = path.to_str().expect("utf-8 path");
    let cases: [(&[&str], &str); 5] = [
        (&["--fix", "E=abc"], "--fix E=abc: not a number"),
        (&["--fix", "E"], "--fix E: expected NAME=VALUE"),
        (&["--fix", "=2"], "--fix =2: no parameter name"),
        (
            &["--fix", "E=1", "--fix", "E=2"],
            "--fix E=2: E is already fixed",
        ),
        (
            &["--form", "saturating", "--fix", "beta=0.3"],
            "the saturating law has no parameter 'beta' to fix (its parameters: E, A, alpha)",
        ),
    ];
    for (args, message) in cases {
        let o = run(&[&["fit", file][..], args].concat());
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(stderr(&o).contains(message), "{args:?}: {}", stderr(&o));
    }
    // A parameter the law needs positive.
    let path = data("kaplan_nd.csv");
    let o = run(&[
        "fit",
        path.to_str().expect("utf-8 path"),
        "--form",
        "kaplan-nd",
        "--fix",
        "Nc=-1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("Nc cannot be fixed at -1: it must be a finite positive number"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn help_lists_every_law_of_the_registry() {
    let o = run(&["fit", "--help"]);
    assert!(o.status.success());
    let help = String::from_utf8_lossy(&o.stdout);
    for form in Form::ALL {
        assert!(help.contains(form.name()), "fit --help lacks {form}");
        assert!(
            help.contains(form.formula()),
            "fit --help lacks {}",
            form.formula()
        );
    }
    for word in ["--fix", "NAME=VALUE", "asym-log"] {
        assert!(help.contains(word), "fit --help lacks {word}");
    }
    // Every name and alias is accepted.
    for form in Form::ALL {
        for name in std::iter::once(form.name()).chain(form.law().aliases().iter().copied()) {
            let o = run(&["fit", "--help", "--form", name]);
            assert!(o.status.success(), "--form {name}: {}", stderr(&o));
        }
    }
}

#[test]
fn a_share_link_carries_the_pins() {
    let path = data("asym.csv");
    let file = path.to_str().expect("utf-8 path");
    let options = [
        "--form",
        "saturating",
        "--objective",
        "ls-log",
        "--fix",
        "E=1.95",
    ];
    let o = run(&[&["share", file][..], &options].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let link = String::from_utf8_lossy(&o.stdout).trim().to_string();
    match share::decode(&link) {
        Ok(Link::Full(state)) => assert_eq!(state.fixed, vec![("E".to_string(), 1.95)]),
        other => panic!("not a full link: {other:?}"),
    }
    let o = run(&["fit", "--link", &link, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let via_link: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let direct = fit_of("asym.csv", &options);
    assert_eq!(via_link["fits"][0], direct);
    assert_eq!(f(&direct["params"]["E"]), 1.95);

    // A fit-only link keeps which parameters were held.
    let o = run(&[&["share", file, "--fit-only"][..], &options].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let link = String::from_utf8_lossy(&o.stdout).trim().to_string();
    let o = run(&["fit", "--link", &link, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let via_link: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(via_link["fits"][0]["fixed"]["E"], true);
    assert_eq!(f(&via_link["fits"][0]["params"]["E"]), 1.95);
}
