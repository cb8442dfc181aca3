//! The bootstrap on Epoch AI's 240 Chinchilla points (arXiv:2404.10102): chinchilla,
//! `huber-log:1e-3`, 4000 resamples. Epoch's bootstrap standard errors are E 0.0257,
//! A 124.5, B 1293, alpha 0.0154, beta 0.0206; ours must be within 15 % for E, alpha and
//! beta, 25 % for A and B (the heavy-tailed ones). Also: a seed gives the same refits
//! every time, chunks give the refits of one run.

use scalescope_core::bootstrap::{self, run_chunk, summarise, Reach, Targets};
use scalescope_core::{fit, Fit, FitOptions, Form, Objective, Points};

#[path = "common/epoch.rs"]
mod epoch;
use epoch::epoch_points;

fn options() -> FitOptions {
    FitOptions::new(Form::Chinchilla).with_objective(Objective::HuberLog { delta: 1e-3 })
}

fn full_fit(points: &Points) -> Fit {
    let f = fit(points, &options()).expect("Epoch's points fit");
    assert!(f.converged(), "{}", f.termination);
    f
}

#[test]
fn epoch_standard_errors_from_4000_resamples() {
    let points = epoch_points();
    let full = full_fit(&points);
    let start = std::time::Instant::now();
    let samples =
        run_chunk(&points, &options(), &full, bootstrap::DEFAULT_SEED, 0..4000).expect("same law");
    let elapsed = start.elapsed();
    let targets = Targets {
        band_at: vec![(7e10, Some(1.4e12))],
        target: Some(2.0),
        compute: Some(1e24),
    };
    let b = summarise(&full, &samples, &targets).expect("refits");
    println!("4000 refits in {elapsed:?}, failed {}", b.failed);
    let published = [0.0257, 124.5, 1293.0, 0.0154, 0.0206];
    let tolerance = [0.15, 0.25, 0.25, 0.15, 0.15];
    for (k, name) in Form::Chinchilla.param_names().iter().enumerate() {
        let ratio = b.se[k] / published[k];
        println!(
            "{name}: SE {:.5} (Epoch {}, ratio {ratio:.3}), 95 % [{:.5}, {:.5}]",
            b.se[k], published[k], b.ci95[k].0, b.ci95[k].1
        );
        assert!(
            (ratio - 1.0).abs() <= tolerance[k],
            "{name}: SE {} vs Epoch's {}",
            b.se[k],
            published[k]
        );
        // The percentile interval holds the full fit's value.
        assert!(b.ci95[k].0 < full.params[k] && full.params[k] < b.ci95[k].1);
    }
    assert_eq!(b.resamples, 4000);
    assert!(b.failed <= 40, "{} of 4000 refits failed", b.failed);
    // The band at Chinchilla itself (70B, 1.4T) holds the fitted loss.
    let (_, _, (lo, hi)) = b.band95[0];
    let y = full.predict(7e10, Some(1.4e12));
    assert!(lo < y && y < hi && hi - lo < 0.1, "{lo} {y} {hi}");
    // N* at 1e24 FLOP (9.6e10 for the full fit) and the compute for loss 2.
    let at = b.optimal.expect("a budget").expect("an allocation");
    assert!(at.n.0 < 9.6e10 && 9.6e10 < at.n.1, "{:?}", at.n);
    assert!((at.compute.0 / 1e24 - 1.0).abs() < 1e-9);
    let req = b.required.expect("a target").expect("reachable");
    match req.reach {
        Reach::Allocation(a) => assert!(a.compute.0 < a.compute.1 && a.compute.1.is_finite()),
        Reach::Input(_) => panic!("chinchilla answers along its frontier"),
    }
    assert_eq!(req.unreachable, 0);
}

#[test]
fn a_seed_gives_the_same_refits_and_another_seed_others() {
    let points = epoch_points();
    let full = full_fit(&points);
    let a = run_chunk(&points, &options(), &full, 5, 0..40).expect("same law");
    let b = run_chunk(&points, &options(), &full, 5, 0..40).expect("same law");
    let c = run_chunk(&points, &options(), &full, 6, 0..40).expect("same law");
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert!(a.iter().filter(|p| p.is_some()).count() >= 39);
}

#[test]
fn chunks_give_the_refits_of_one_run() {
    let points = epoch_points();
    let full = full_fit(&points);
    let whole = run_chunk(&points, &options(), &full, 11, 0..30).expect("same law");
    let mut parts = Vec::new();
    for r in [20..30, 0..7, 7..20] {
        parts.push((
            r.start,
            run_chunk(&points, &options(), &full, 11, r).expect("same law"),
        ));
    }
    parts.sort_by_key(|(s, _)| *s);
    let joined: Vec<Option<Vec<f64>>> = parts.into_iter().flat_map(|(_, v)| v).collect();
    assert_eq!(joined, whole);
    let t = Targets::default();
    assert_eq!(summarise(&full, &joined, &t), summarise(&full, &whole, &t));
}

#[test]
fn pinned_parameters_stay_pinned() {
    let points = epoch_points();
    let options = options().with_fixed("E", 1.8);
    let full = fit(&points, &options).expect("fits");
    let samples = run_chunk(&points, &options, &full, 3, 0..20).expect("same law");
    assert!(samples.iter().flatten().all(|p| p[0] == 1.8));
    let b = summarise(&full, &samples, &Targets::default()).expect("refits");
    assert_eq!(b.se[0], 0.0);
    assert_eq!(b.ci95[0], (1.8, 1.8));
    assert!(b.se[3] > 0.0);
}

#[test]
fn mismatched_options_and_too_few_refits_are_errors() {
    let points = epoch_points();
    let full = full_fit(&points);
    let other = FitOptions::new(Form::KaplanNd);
    assert!(matches!(
        run_chunk(&points, &other, &full, 1, 0..3),
        Err(bootstrap::BootstrapError::FormMismatch { .. })
    ));
    assert!(matches!(
        summarise(
            &full,
            &[None, Some(full.params.clone())],
            &Targets::default()
        ),
        Err(bootstrap::BootstrapError::TooFewRefits {
            succeeded: 1,
            resamples: 2
        })
    ));
}

#[test]
fn resamples_that_cannot_be_fitted_are_counted_not_fatal() {
    // Five points of a three-parameter law: a resample with fewer than three distinct x
    // (1 − P(≥ 3 distinct of 5) ≈ 5.6 % of them) cannot be fitted and counts as failed.
    let x: Vec<f64> = vec![1e6, 1e7, 1e8, 1e9, 1e10];
    let y: Vec<f64> = x
        .iter()
        .zip([1.01, 0.99, 1.0, 1.02, 0.98])
        .map(|(n, w): (&f64, f64)| (1.7 + 406.4 * n.powf(-0.34)) * w)
        .collect();
    let points = Points::new(x, y);
    let options = FitOptions::new(Form::Saturating);
    let full = fit(&points, &options).expect("fits");
    let samples = run_chunk(&points, &options, &full, 1, 0..400).expect("same law");
    let b = summarise(&full, &samples, &Targets::default()).expect("most refit");
    assert_eq!(b.resamples, 400);
    assert!(b.failed >= 5 && b.failed < 100, "{} failed", b.failed);
    assert_eq!(b.failed, samples.iter().filter(|s| s.is_none()).count());
    assert!(b.se.iter().all(|s| s.is_finite() && *s > 0.0), "{:?}", b.se);
}
