//! Epoch AI's replication of Hoffmann et al.'s Approach 3 (arXiv:2404.10102): the 240-point
//! Chinchilla data, chinchilla form, `huber-log:1e-3`. SciPy's full 4500-start grid reaches
//! an objective of 0.0010182740178 with E = 1.8172, alpha = 0.3473, beta = 0.3672.

use scalescope_core::{fit, Fit, FitMode, FitOptions, Form, Objective};

#[path = "common/epoch.rs"]
mod epoch;
use epoch::epoch_points;

fn check(f: &Fit, label: &str) {
    println!(
        "{label}: objective {:.13} E {:.6} A {:.4} B {:.4} alpha {:.6} beta {:.6} ({})",
        f.metrics.objective,
        f.params[0],
        f.params[1],
        f.params[2],
        f.params[3],
        f.params[4],
        f.termination
    );
    for w in &f.warnings {
        println!("  note: {w}");
    }
    assert_eq!(f.objective, Objective::HuberLog { delta: 1e-3 });
    assert!(f.converged(), "{label}: {}", f.termination);
    assert!(
        f.metrics.objective <= 0.0010182741,
        "{label}: objective {}",
        f.metrics.objective
    );
    assert!(
        (f.param("E").unwrap() - 1.8172).abs() <= 0.0005,
        "{label}: E"
    );
    assert!(
        (f.param("alpha").unwrap() - 0.3473).abs() <= 0.001,
        "{label}: alpha"
    );
    assert!(
        (f.param("beta").unwrap() - 0.3672).abs() <= 0.001,
        "{label}: beta"
    );
}

#[test]
fn default_strategy_reaches_the_published_optimum() {
    let f = fit(&epoch_points(), &FitOptions::new(Form::Chinchilla)).unwrap();
    check(&f, "default");
}

#[cfg(feature = "grid")]
#[test]
fn grid_mode_reaches_the_published_optimum() {
    let o = FitOptions::new(Form::Chinchilla).with_mode(FitMode::Grid);
    let f = fit(&epoch_points(), &o).unwrap();
    check(&f, "grid");
}

#[cfg(feature = "grid")]
#[test]
fn grid_and_default_agree_under_linear_least_squares() {
    let pts = epoch_points();
    let o = FitOptions::new(Form::Chinchilla).with_objective(Objective::Ls);
    let a = fit(&pts, &o).unwrap();
    let b = fit(&pts, &o.with_mode(FitMode::Grid)).unwrap();
    println!("ls default {:?} {}", a.params, a.metrics.objective);
    println!("ls grid    {:?} {}", b.params, b.metrics.objective);
    let gap = (a.metrics.objective - b.metrics.objective).abs() / b.metrics.objective;
    assert!(
        gap < 1e-9,
        "default {} vs grid {}",
        a.metrics.objective,
        b.metrics.objective
    );
}

/// Guards the page's build (no `grid` feature): asking for the grid is a typed error, not a
/// panic or a silent default fit.
#[cfg(not(feature = "grid"))]
#[test]
fn grid_mode_without_the_feature_is_a_typed_error() {
    let o = FitOptions::new(Form::Chinchilla).with_mode(FitMode::Grid);
    assert_eq!(
        fit(&epoch_points(), &o).unwrap_err(),
        scalescope_core::FitError::GridUnavailable
    );
}
