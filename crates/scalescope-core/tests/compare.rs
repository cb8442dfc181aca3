//! The effective compute multiplier (issue 14, section 3): against closed forms on
//! noise-free laws, a group against itself, and the coverage of both intervals (delta
//! method and bootstrap) over synthetic datasets.

use rand::{RngCore, SeedableRng};
use rand_pcg::Pcg64;
use scalescope_core::compare::bootstrap::{
    interval, multiplier_ci, refit_pairs, Group, NoInterval,
};
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

fn options() -> FitOptions {
    FitOptions::new(Form::Saturating).with_objective(Objective::LsLog)
}

fn fitted(points: &Points) -> Fit {
    fit(points, &options()).unwrap_or_else(|e| panic!("{e}"))
}

/// Seeds of the coverage studies.
const COVERAGE_SEEDS: u64 = 200;

/// The coverage studies' families for seed `s`: L = 1.7 + A·C^−0.3 and the same with A
/// halved, with 2 % log-normal noise; and the true multiplier 2^(−1/α), the same at every
/// loss.
fn halved_pair(s: u64) -> (Points, Points, f64) {
    let (e, alpha) = (1.7, 0.3);
    let a = 5.0 * 1e15f64.powf(alpha);
    (
        saturating(e, a, alpha, Some(2 * s)),
        saturating(e, a / 2.0, alpha, Some(2 * s + 1)),
        2f64.powf(-1.0 / alpha),
    )
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
    let seeds = COVERAGE_SEEDS;
    let covered = (0..seeds)
        .filter(|&s| {
            let (pb, ph, want) = halved_pair(s);
            let (base, half) = (fitted(&pb), fitted(&ph));
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

#[test]
fn bootstrap_of_a_group_against_itself_holds_one() {
    // The two sides are resampled independently, so the interval is not the point 1.
    let points = saturating(1.8, 4.0 * 1e15f64.powf(0.32), 0.32, Some(5));
    let f = fitted(&points);
    let g = Group {
        points: &points,
        fit: &f,
    };
    let delta = multiplier(&Model::fitted(&f), &Model::fitted(&f), 2.5).unwrap();
    let r = multiplier_ci(g, g, &options(), 2.5, 400, 11).unwrap();
    let (lo, hi) = r.ci95.clone().unwrap();
    eprintln!("bootstrap [{lo}, {hi}], delta method {:?}", delta.ci95);
    assert!(lo < 1.0 && 1.0 < hi && hi > 1.01, "[{lo}, {hi}]");
    assert_eq!(
        (r.resamples, r.used(), r.failed, r.neither),
        (400, 400, 0, 0)
    );
    // Of the same width as the delta method's, on the log scale, within a factor 1.5.
    let ratio = (hi / lo).ln() / (delta.ci95.1 / delta.ci95.0).ln();
    assert!((1.0 / 1.5..1.5).contains(&ratio), "width ratio {ratio}");
}

#[test]
fn bootstrap_is_a_pure_function_of_the_seed_and_chunks_add_up() {
    let (a, b) = (
        saturating(1.7, 3e5, 0.3, Some(1)),
        saturating(1.7, 1.5e5, 0.3, Some(2)),
    );
    let (fa, fb) = (fitted(&a), fitted(&b));
    let (ga, gb) = (
        Group {
            points: &a,
            fit: &fa,
        },
        Group {
            points: &b,
            fit: &fb,
        },
    );
    let o = options();
    let all = refit_pairs(ga, gb, &o, 3, 0..150).unwrap();
    let mut parts = refit_pairs(ga, gb, &o, 3, 0..70).unwrap();
    parts.extend(refit_pairs(ga, gb, &o, 3, 70..150).unwrap());
    assert_eq!(all, parts);
    let one = interval(&fa, &fb, &all, 2.2);
    assert_eq!(Ok(one.clone()), multiplier_ci(ga, gb, &o, 2.2, 150, 3));
    assert_ne!(
        one.ci95,
        multiplier_ci(ga, gb, &o, 2.2, 150, 4).unwrap().ci95
    );
    // Out of range and another law's options are refused.
    assert!(multiplier_ci(ga, gb, &o, 2.2, 99, 3).is_err());
    assert!(refit_pairs(ga, gb, &FitOptions::new(Form::Power), 3, 0..1).is_err());
}

#[test]
fn bootstrap_counts_what_never_reaches_the_loss() {
    // Floors at 1.99 and 2.0 and 2 % noise: at loss 2.0 the refitted floors straddle it on
    // both sides, so pairs are 0 (the baseline never reaches it), +∞ (the other never
    // does) or neither.
    let a = saturating(1.99, 3e5, 0.3, Some(8));
    let b = saturating(2.0, 3e5, 0.3, Some(9));
    let (fa, fb) = (fitted(&a), fitted(&b));
    let pairs = refit_pairs(
        Group {
            points: &a,
            fit: &fa,
        },
        Group {
            points: &b,
            fit: &fb,
        },
        &options(),
        5,
        0..200,
    )
    .unwrap();
    let r = interval(&fa, &fb, &pairs, 2.0);
    eprintln!("{r:?}");
    assert_eq!(
        r.used() + r.failed + r.neither,
        200,
        "each pair counted once"
    );
    assert!(r.neither > 0 && r.neither <= 20, "{r:?}");
    // Both kept in the percentiles: more than 2.5 % of the pairs at 0 and at +∞ (the
    // 5th of 200 sorted values from either end) make the interval [0, ∞]: "it may never".
    assert!(
        r.baseline_unreachable > 6 && r.other_unreachable > 6,
        "{r:?}"
    );
    assert_eq!(r.ci95, Ok((0.0, f64::INFINITY)));
    // A loss no refit reaches: no interval, and the reason says so.
    let r = interval(&fa, &fb, &pairs, 1.0);
    assert_eq!(r.neither, 200);
    let e = r.ci95.unwrap_err();
    assert!(matches!(
        e,
        NoInterval::TooFew {
            used: 0,
            resamples: 200,
            ..
        }
    ));
    assert!(
        e.to_string()
            .contains("only 0 of 200 resamples give a multiplier"),
        "{e}"
    );
    // No pairs at all: no interval, no panic.
    assert!(interval(&fa, &fb, &[], 2.5).ci95.is_err());
}

#[test]
fn the_bootstrap_interval_covers_the_true_multiplier() {
    // The delta-method coverage test's families (A and A/2, 2 % log-normal noise) and
    // seeds, each refitting 2 × 200 resamples. The percentile interval should hold
    // 2^(−1/α) in about 95 % of seeds; the delta method on the same seeds for comparison.
    let seeds = COVERAGE_SEEDS;
    let (mut boot, mut delta) = (0, 0);
    for s in 0..seeds {
        let (pb, ph, want) = halved_pair(s);
        let (base, half) = (fitted(&pb), fitted(&ph));
        let d = multiplier(&Model::fitted(&base), &Model::fitted(&half), 2.5).unwrap();
        delta += usize::from(d.ci95.0 < want && want < d.ci95.1);
        let r = multiplier_ci(
            Group {
                points: &pb,
                fit: &base,
            },
            Group {
                points: &ph,
                fit: &half,
            },
            &options(),
            2.5,
            200,
            s,
        )
        .unwrap();
        let (lo, hi) = r.ci95.unwrap();
        boot += usize::from(lo < want && want < hi);
    }
    eprintln!(
        "the bootstrap interval held the true multiplier in {boot} of {seeds} seeds, \
         the delta method in {delta}"
    );
    assert!(boot * 100 >= 85 * seeds as usize, "{boot} of {seeds}");
}
