//! IsoFLOP profiles (Approach 2) against NumPy running the same protocol on sweeps of a
//! known Chinchilla surface (Epoch AI's 2024 fit): `scripts/scipy/isoflop_reference.py`
//! writes the sweeps (`tests/data/isoflop_*.csv`) and NumPy's answers (`isoflop_*.json`).

use scalescope_core::export::isoflop_json;
use scalescope_core::isoflop::{isoflop, runs_from_table, Isoflop, IsoflopOptions, IsoflopWarning};
use scalescope_core::table::{read_table, ReadOptions};
use serde_json::Value;
use std::path::PathBuf;

fn data(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The sweep `name` through the table reader and Approach 2, and NumPy's answer.
fn profile(name: &str) -> (Isoflop, Value) {
    let table = read_table(&data(&format!("isoflop_{name}.csv")), &ReadOptions::new())
        .expect("the sweep reads");
    let runs = runs_from_table(&table).expect("C, N and loss columns");
    assert_eq!(runs.len(), 63);
    let out = isoflop(&runs, &IsoflopOptions::default()).expect("seven budgets");
    let reference: Value =
        serde_json::from_str(&data(&format!("isoflop_{name}.json"))).expect("reference JSON");
    (out, reference)
}

fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("{v} is not a number"))
}

fn rel(a: f64, b: f64) -> f64 {
    (a / b - 1.0).abs()
}

/// Every budget's optimum and both exponents as NumPy computes them.
fn check_against_numpy(name: &str) -> Isoflop {
    let (out, reference) = profile(name);
    let budgets = reference["budgets"].as_array().expect("budgets");
    assert_eq!(out.budgets.len(), budgets.len(), "{name}");
    assert!(out.refused.is_empty(), "{name}: {:?}", out.refused);
    for (b, r) in out.budgets.iter().zip(budgets) {
        assert_eq!(b.c, num(&r["C"]), "{name}");
        assert!(
            rel(b.n_opt, num(&r["N_opt"])) < 1e-9,
            "{name}: N_opt {} vs {}",
            b.n_opt,
            r["N_opt"]
        );
        assert!(rel(b.d_opt, num(&r["D_opt"])) < 1e-9, "{name}");
        assert!((b.loss_opt - num(&r["loss_opt"])).abs() < 1e-11, "{name}");
        assert_eq!(b.runs, 9);
    }
    println!(
        "{name}: a = {} (NumPy {}, Δ {:.1e}), 95 % [{}, {}]; b = {} (Δ {:.1e})",
        out.a,
        reference["a"],
        out.a - num(&reference["a"]),
        out.a_ci95.0,
        out.a_ci95.1,
        out.b,
        out.b - num(&reference["b"])
    );
    // The issue asks for 0.01; the protocol is the same, so it agrees to rounding.
    assert!(
        (out.a - num(&reference["a"])).abs() < 1e-9,
        "{name}: a {} vs {}",
        out.a,
        reference["a"]
    );
    assert!(
        (out.b - num(&reference["b"])).abs() < 1e-9,
        "{name}: b {} vs {}",
        out.b,
        reference["b"]
    );
    assert!(rel(out.k_n, num(&reference["k_N"])) < 1e-7, "{name}");
    assert!(rel(out.k_d, num(&reference["k_D"])) < 1e-7, "{name}");
    out
}

#[test]
fn symmetric_4x_grids_match_numpy_and_warn_of_nothing() {
    let out = check_against_numpy("4x");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    // The surface's own exponent β/(α+β): the protocol is unbiased in a on centred grids.
    assert!(
        (out.a - 0.3658 / (0.3478 + 0.3658)).abs() < 1e-6,
        "{}",
        out.a
    );
}

#[test]
fn noisy_4x_grids_match_numpy_and_the_interval_holds_a() {
    let out = check_against_numpy("4x_noisy");
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let (lo, hi) = out.a_ci95;
    assert!(lo < out.a && out.a < hi, "{lo} {} {hi}", out.a);
    let (lo, hi) = out.b_ci95;
    assert!(lo < out.b && out.b < hi, "{lo} {} {hi}", out.b);
    assert_eq!(out.resamples, 1000);
    assert_eq!(out.failed, 0);
}

#[test]
fn a_32x_grid_is_warned_of() {
    let out = check_against_numpy("32x");
    let wide: Vec<&IsoflopWarning> = out
        .warnings
        .iter()
        .filter(|w| matches!(w, IsoflopWarning::WideGrid { .. }))
        .collect();
    assert_eq!(wide.len(), 1, "{:?}", out.warnings);
    let IsoflopWarning::WideGrid { budgets } = wide[0] else {
        unreachable!()
    };
    assert_eq!(budgets.len(), 7);
    assert!(
        budgets
            .iter()
            .all(|(_, reach)| *reach > 30.0 && *reach < 36.0),
        "{budgets:?}"
    );
    assert!(wide[0].to_string().contains("±16×"), "{}", wide[0]);
}

#[test]
fn an_off_centre_grid_is_warned_of() {
    // The 4× sweep with its three largest sizes per budget dropped: each minimum now sits
    // in the top quarter of what is left (t = 4/5 of the ln N range).
    let text = data("isoflop_4x.csv");
    let mut lines = text.lines();
    let mut kept = format!("{}\n", lines.next().expect("header"));
    for (i, line) in lines.enumerate() {
        if i % 9 < 6 {
            kept += line;
            kept.push('\n');
        }
    }
    let table = read_table(&kept, &ReadOptions::new()).expect("reads");
    let out = isoflop(
        &runs_from_table(&table).expect("runs"),
        &IsoflopOptions::default(),
    )
    .expect("budgets");
    assert!(
        out.warnings
            .iter()
            .any(|w| matches!(w, IsoflopWarning::OffCentre { budgets } if budgets.len() == 7)),
        "{:?}",
        out.warnings
    );
}

#[test]
fn the_bootstrap_depends_on_its_seed_only() {
    let table = read_table(&data("isoflop_4x_noisy.csv"), &ReadOptions::new()).expect("reads");
    let runs = runs_from_table(&table).expect("runs");
    let options = IsoflopOptions {
        resamples: 200,
        seed: 5,
        ..IsoflopOptions::default()
    };
    let one = isoflop(&runs, &options).expect("budgets");
    let mut reversed = runs.clone();
    reversed.reverse();
    assert_eq!(one, isoflop(&reversed, &options).expect("budgets"));
    let other = isoflop(&runs, &IsoflopOptions { seed: 6, ..options }).expect("budgets");
    assert_ne!(one.a_ci95, other.a_ci95);
    assert_eq!(one.a, other.a);
}

#[test]
fn json_has_the_issues_shape() {
    let (out, _) = profile("32x");
    let j: Value = serde_json::from_str(&isoflop_json(&out, None)).expect("JSON");
    let budgets = j["budgets"].as_array().expect("budgets");
    assert_eq!(budgets.len(), 7);
    for key in ["C", "N_opt", "D_opt", "loss_opt", "n"] {
        assert!(!budgets[0][key].is_null(), "{key}");
    }
    assert_eq!(num(&j["a"]), out.a);
    assert_eq!(j["a_ci95"].as_array().map(Vec::len), Some(2));
    assert_eq!(num(&j["b"]), out.b);
    assert!(j["refused"].as_array().is_some_and(Vec::is_empty));
    assert_eq!(
        j["warnings"].as_array().map(Vec::len),
        Some(out.warnings.len())
    );
}

mod hostile {
    use proptest::prelude::*;
    use scalescope_core::isoflop::{isoflop, IsoflopOptions, Run};

    fn value() -> impl Strategy<Value = f64> {
        prop_oneof![
            4 => (-3.0f64..30.0).prop_map(|e| 10f64.powf(e)),
            1 => Just(0.0),
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
            1 => Just(-1.0),
            1 => Just(f64::MIN_POSITIVE),
            1 => Just(f64::MAX),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        /// Any runs (few budgets so that some have several runs) give an answer or a typed
        /// error, never a panic; an answer's numbers are consistent.
        #[test]
        fn any_runs_give_an_answer_or_an_error(
            runs in prop::collection::vec((0usize..4, value(), value()), 0..40),
            tolerance in prop_oneof![Just(1e-6), Just(0.0), Just(0.5), Just(f64::NAN)],
        ) {
            let runs: Vec<Run> = runs
                .into_iter()
                .map(|(c, n, loss)| Run { c: [1e18, 1e19, 1e20, f64::MAX][c], n, loss: loss.ln() })
                .collect();
            let options = IsoflopOptions { resamples: 100, tolerance, ..IsoflopOptions::default() };
            if let Ok(out) = isoflop(&runs, &options) {
                prop_assert!(out.budgets.len() >= 2);
                prop_assert!(out.budgets.iter().all(|b| b.n_range.0 <= b.n_opt && b.n_opt <= b.n_range.1));
                prop_assert_eq!(out.resamples, 100);
            }
        }
    }
}
