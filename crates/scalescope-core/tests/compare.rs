//! The effective compute multiplier (issue 14, section 3): against closed forms on
//! noise-free laws, and a group against itself.

use rand::{RngCore, SeedableRng};
use rand_pcg::Pcg64;
use scalescope_core::compare::{curve, loss_range, multiplier, CompareError};
use scalescope_core::presets::Model;
use scalescope_core::{fit, Fit, FitOptions, Form, Objective, Points};

/// Compute budgets 1e15 … 1e21, 16 log-spaced.
fn budgets() -> Vec<f64> {
    (0..16)
        .map(|k| 1e15 * 10f64.powf(6.0 * k as f64 / 15.0))
        .collect()
}

fn saturating(e: f64, a: f64, alpha: f64, noise: Option<u64>) -> Points {
    let mut rng = Pcg64::seed_from_u64(noise.unwrap_or(0));
    let mut u = || ((rng.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64;
    let x = budgets();
    let y = x
        .iter()
        .map(|c| {
            let z = (-2.0 * u().ln()).sqrt() * (std::f64::consts::TAU * u()).cos();
            let scatter = if noise.is_some() { 0.02 * z } else { 0.0 };
            (e + a * c.powf(-alpha)) * scatter.exp()
        })
        .collect();
    Points::new(x, y)
}

fn fitted(points: &Points) -> Fit {
    let options = FitOptions::new(Form::Saturating).with_objective(Objective::LsLog);
    fit(points, &options).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn halving_a_matches_the_closed_form() {
    // In C, L = E + A·C^−α needs C(L) = ((L − E)/A)^(−1/α). With A/2:
    // C'(L) = (2(L − E)/A)^(−1/α) = 2^(−1/α)·C(L), so M = 2^(−1/α) at every loss.
    let (e, a, alpha) = (1.7, 5.0 * 1e15f64.powf(0.3), 0.3);
    let base = fitted(&saturating(e, a, alpha, None));
    let half = fitted(&saturating(e, a / 2.0, alpha, None));
    let want = 2f64.powf(-1.0 / alpha);
    let (mb, mh) = (Model::fitted(&base), Model::fitted(&half));
    let m = multiplier(&mb, &mh, 2.0).unwrap();
    assert!(
        (m.multiplier / want - 1.0).abs() < 1e-6,
        "{} vs {want}",
        m.multiplier
    );
    assert!((m.baseline / ((2.0 - e) / a).powf(-1.0 / alpha) - 1.0).abs() < 1e-6);
    // Over the losses both observed, the same constant.
    let losses = loss_range(
        &saturating(e, a, alpha, None).y,
        &saturating(e, a / 2.0, alpha, None).y,
        9,
    );
    assert_eq!(losses.len(), 9);
    for r in curve(&mb, &mh, &losses) {
        let r = r.unwrap();
        assert!(
            (r.multiplier / want - 1.0).abs() < 1e-6,
            "at {}: {}",
            r.at_loss,
            r.multiplier
        );
    }
    // And the other way round, its inverse.
    let back = multiplier(&mh, &mb, 2.0).unwrap();
    assert!((back.multiplier * want - 1.0).abs() < 1e-6);
}

#[test]
fn a_group_against_itself_is_one_inside_its_interval() {
    let f = fitted(&saturating(1.8, 4.0 * 1e15f64.powf(0.32), 0.32, Some(5)));
    let m = Model::fitted(&f);
    for loss in [2.0, 2.5, 3.5] {
        let r = multiplier(&m, &m, loss).unwrap();
        assert_eq!(r.multiplier, 1.0);
        let (lo, hi) = r.ci95;
        assert!(lo < 1.0 && 1.0 < hi, "at {loss}: [{lo}, {hi}]");
        // Symmetric on the log scale, and not degenerate with 2 % noise.
        assert!((lo * hi - 1.0).abs() < 1e-12 && hi > 1.01, "[{lo}, {hi}]");
    }
}

#[test]
fn the_interval_covers_the_true_multiplier() {
    // Families with A and A/2 and 2 % log-normal noise: the true multiplier is 2^(−1/α) at
    // every loss. The delta-method interval should hold it in about 95 % of seeds.
    let (e, alpha) = (1.7, 0.3);
    let a = 5.0 * 1e15f64.powf(alpha);
    let want = 2f64.powf(-1.0 / alpha);
    let seeds = 200;
    let covered = (0..seeds)
        .filter(|&s| {
            let base = fitted(&saturating(e, a, alpha, Some(2 * s)));
            let half = fitted(&saturating(e, a / 2.0, alpha, Some(2 * s + 1)));
            let r = multiplier(&Model::fitted(&base), &Model::fitted(&half), 2.5).unwrap();
            r.ci95.0 < want && want < r.ci95.1
        })
        .count();
    eprintln!("the 95 % interval held the true multiplier in {covered} of {seeds} seeds");
    assert!(covered >= 180, "{covered} of {seeds}");
}

#[test]
fn chinchilla_with_both_coefficients_halved() {
    // Along the frontier L(C) = E + K·(C/6)^−γ, γ = αβ/(α+β), K = A·G^−α + B·G^β with
    // G = (αA/(βB))^(1/(α+β)). Halving A and B keeps G and halves K, so
    // C'(L) = 6((L − E)/(K/2))^(−1/γ) = 2^(−1/γ)·C(L).
    let p = [1.69, 406.4, 410.7, 0.34, 0.28];
    let base = Model::of(Form::Chinchilla, p.to_vec());
    let half = Model::of(
        Form::Chinchilla,
        vec![p[0], p[1] / 2.0, p[2] / 2.0, p[3], p[4]],
    );
    let gamma = p[3] * p[4] / (p[3] + p[4]);
    let r = multiplier(&base, &half, 2.0).unwrap();
    assert!(
        (r.multiplier / 2f64.powf(-1.0 / gamma) - 1.0).abs() < 1e-9,
        "{}",
        r.multiplier
    );
    // Two published laws: no uncertainty.
    assert_eq!(r.ci95, (r.multiplier, r.multiplier));
}

#[test]
fn a_loss_one_side_cannot_reach_names_that_side() {
    let base = Model::of(Form::Saturating, vec![1.7, 3e5, 0.3]);
    let other = Model::of(Form::Saturating, vec![2.1, 3e5, 0.3]);
    assert!(matches!(
        multiplier(&base, &other, 2.0),
        Err(CompareError::Other { .. })
    ));
    assert!(matches!(
        multiplier(&other, &base, 2.0),
        Err(CompareError::Baseline { .. })
    ));
    assert!(loss_range(&[], &[1.0], 5).is_empty());
    // Ranges that do not overlap: all the losses.
    assert_eq!(
        loss_range(&[1.0, 2.0], &[3.0, 4.0], 4),
        vec![1.0, 2.0, 3.0, 4.0]
    );
    assert_eq!(loss_range(&[1.0, 3.0], &[2.0, 4.0], 3), vec![2.0, 2.5, 3.0]);
}
