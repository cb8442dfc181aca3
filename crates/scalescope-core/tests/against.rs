//! A fit against a published law (issue 14 item 4) on Epoch AI's 240 points (chinchilla,
//! `huber-log:1e-3`): Hoffmann et al.'s law is rejected, Epoch's own (fitted to these very
//! points) is not, with the analytic and with the bootstrap covariance.

use nalgebra::{DMatrix, DVector};
use scalescope_core::against::{against, check_law, preset_for, AgainstError, Covariance};
use scalescope_core::bootstrap::{run_chunk, summarise, Targets};
use scalescope_core::presets::PresetId;
use scalescope_core::{fit, Fit, FitOptions, Form, Points};

#[path = "common/epoch.rs"]
mod epoch;
use epoch::epoch_points;

fn epoch_fit(points: &Points) -> (FitOptions, Fit) {
    let options = FitOptions::new(Form::Chinchilla);
    let f = fit(points, &options).expect("Epoch's data fits");
    assert!(f.converged(), "{}", f.termination);
    (options, f)
}

#[test]
fn analytic_covariance_rejects_hoffmann_and_keeps_epoch() {
    let (_, f) = epoch_fit(&epoch_points());
    let h = against(&f, PresetId::Hoffmann2022, None).expect("a test");
    let e = against(&f, PresetId::Epoch2024, None).expect("a test");
    println!(
        "analytic: Hoffmann χ² = {} p = {:e}; Epoch χ² = {} p = {}",
        h.chi2, h.p, e.chi2, e.p
    );
    assert_eq!((h.dof, h.covariance), (5, Covariance::Analytic));
    assert_eq!(h.params, ["E", "A", "B", "alpha", "beta"]);
    assert!(h.p < 1e-10, "{}", h.p);
    assert!(e.p > 0.05, "{}", e.p);
}

#[test]
fn bootstrap_covariance_rejects_hoffmann_and_keeps_epoch() {
    let points = epoch_points();
    let (options, f) = epoch_fit(&points);
    let samples = run_chunk(&points, &options, &f, 13, 0..400).expect("same law");
    let b = summarise(&f, &samples, &Targets::default()).expect("refits");
    let h = against(&f, PresetId::Hoffmann2022, Some(&b.covariance)).expect("a test");
    let e = against(&f, PresetId::Epoch2024, Some(&b.covariance)).expect("a test");
    println!(
        "bootstrap: Hoffmann χ² = {} p = {:e}; Epoch χ² = {} p = {}",
        h.chi2, h.p, e.chi2, e.p
    );
    assert_eq!((h.dof, h.covariance), (5, Covariance::Bootstrap));
    assert!(h.p < 1e-10, "{}", h.p);
    // Epoch AI's own test of Hoffmann's law with their bootstrap: χ² ≈ 238 on 5 dof.
    assert!(h.chi2 > 100.0 && h.chi2 < 1000.0, "{}", h.chi2);
    assert!(e.p > 0.05, "{}", e.p);
}

#[test]
fn chi2_is_the_quadratic_form_of_the_inverse_covariance() {
    // A power law (no positive parameters: raw coordinates) against Kaplan et al.'s L(N):
    // the scaled Cholesky path gives Δᵀ Σ⁻¹ Δ with Σ⁻¹ from a plain inverse.
    let x: Vec<f64> = (0..10).map(|k| 1e7 * 3f64.powi(k)).collect();
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(k, n)| 11.0 * n.powf(-0.07) * (1.0 + 0.01 * ((k * 3 % 7) as f64 - 3.0) / 3.0))
        .collect();
    let f = fit(&Points::new(x, y), &FitOptions::new(Form::Power)).expect("fits");
    let t = against(&f, PresetId::Kaplan2020N, None).expect("a test");
    let published = PresetId::Kaplan2020N.preset().law.params;
    let d = DVector::from_iterator(2, f.params.iter().zip(&published).map(|(a, b)| a - b));
    let cov: DMatrix<f64> = f.covariance.clone().expect("covariance");
    let direct = d.dot(&(cov.try_inverse().expect("invertible") * &d));
    assert!(
        (t.chi2 / direct - 1.0).abs() < 1e-8,
        "{} vs {direct}",
        t.chi2
    );
    assert_eq!(t.dof, 2);
    assert!((t.p - scalescope_core::stats::chi2_sf(direct, 2)).abs() < 1e-12);
}

#[test]
fn pinned_parameters_are_not_compared() {
    let points = epoch_points();
    let mut options = FitOptions::new(Form::Chinchilla);
    options.fixed = vec![("E".to_string(), 1.8169)];
    let f = fit(&points, &options).expect("fits");
    let t = against(&f, PresetId::Epoch2024, None).expect("a test");
    assert_eq!(t.dof, 4);
    assert_eq!(t.params, ["A", "B", "alpha", "beta"]);
}

#[test]
fn another_law_is_a_typed_error() {
    let x: Vec<f64> = (0..8).map(|k| 1e7 * 4f64.powi(k)).collect();
    let y: Vec<f64> = x.iter().map(|n| 1.7 + 400.0 * n.powf(-0.3)).collect();
    let f = fit(&Points::new(x, y), &FitOptions::new(Form::Saturating)).expect("fits");
    let e = against(&f, PresetId::Hoffmann2022, None).expect_err("another law");
    assert_eq!(
        e,
        AgainstError::LawMismatch {
            fit: Form::Saturating,
            preset: PresetId::Hoffmann2022
        }
    );
    assert!(
        e.to_string().contains("hoffmann2022 is a chinchilla law"),
        "{e}"
    );
    assert_eq!(
        preset_for("kaplan2020", Form::Power),
        Ok(PresetId::Kaplan2020N)
    );
    assert_eq!(
        preset_for("kaplan2020", Form::KaplanNd),
        Ok(PresetId::Kaplan2020ND)
    );
    assert_eq!(
        preset_for("epoch2024", Form::Power),
        Ok(PresetId::Epoch2024)
    );
    assert!(matches!(
        preset_for("chinchilla", Form::Chinchilla),
        Err(AgainstError::Unknown(_))
    ));
    assert!(check_law(Form::Chinchilla, PresetId::Epoch2024).is_ok());
}
