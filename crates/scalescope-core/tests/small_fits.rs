//! Small fits against SciPy: closed-form OLS (power, log, exponential) and nonlinear least
//! squares (power `ls`, saturating `ls`). Reference numbers come from
//! `scripts/scipy/reference_small_fits.py` (same data, copied below).

use scalescope_core::{fit, FitOptions, Form, Objective, Points, Space, Termination};

const X: [f64; 8] = [1e6, 3e6, 1e7, 3e7, 1e8, 3e8, 1e9, 3e9];
const Y: [f64; 8] = [5.12, 4.71, 4.02, 3.71, 3.30, 3.02, 2.71, 2.52];
const YS: [f64; 8] = [4.63, 4.01, 3.41, 3.05, 2.72, 2.51, 2.38, 2.26];

fn rel(a: f64, b: f64) -> f64 {
    ((a - b) / b).abs()
}

#[test]
fn power_default_is_log_space_ols_like_scipy_linregress() {
    let f = fit(
        &Points::new(X.to_vec(), Y.to_vec()),
        &FitOptions::new(Form::Power),
    )
    .unwrap();
    assert_eq!(f.termination, Termination::ClosedForm);
    assert_eq!(f.objective, Objective::LsLog);
    assert!(rel(f.params[0], 17.64576430042224) < 1e-12);
    assert!(rel(f.params[1], -0.0902031804600192) < 1e-12);
    assert!(rel(f.stderr[1], 0.0025216081018345662) < 1e-9);
    // SE(a) is the delta-method image of SE(ln a): a·SE(ln a).
    assert!(rel(f.stderr[0], 17.64576430042224 * 0.04541940349886426) < 1e-9);
    assert_eq!(f.metrics.r2_space, Space::Log);
    assert!(rel(f.metrics.r2, 0.9953330712988172) < 1e-12);
    assert_eq!(f.metrics.dof, 6);
}

#[test]
fn log_default_is_ols_on_ln_x() {
    let f = fit(
        &Points::new(X.to_vec(), Y.to_vec()),
        &FitOptions::new(Form::Log),
    )
    .unwrap();
    assert_eq!(f.termination, Termination::ClosedForm);
    assert!(rel(f.params[0], 9.477768818829304) < 1e-12);
    assert!(rel(f.params[1], -0.3276906100316964) < 1e-12);
    assert!(rel(f.stderr[0], 0.38435066537004275) < 1e-9);
    assert!(rel(f.stderr[1], 0.02133849582077495) < 1e-9);
    assert_eq!(f.metrics.r2_space, Space::Linear);
    assert!(rel(f.metrics.r2, 0.9751892570474749) < 1e-12);
}

#[test]
fn exponential_default_is_ols_of_ln_y_on_x() {
    let xe: Vec<f64> = (1..=8).map(f64::from).collect();
    let f = fit(
        &Points::new(xe, Y.to_vec()),
        &FitOptions::new(Form::Exponential),
    )
    .unwrap();
    assert!(rel(f.params[0], 5.636852783558093) < 1e-12);
    assert!(rel(f.params[1], -0.1035851160745183) < 1e-12);
    assert!(rel(f.stderr[1], 0.003147148703061013) < 1e-9);
}

#[test]
fn power_ls_matches_scipy_curve_fit() {
    let o = FitOptions::new(Form::Power).with_objective(Objective::Ls);
    let f = fit(&Points::new(X.to_vec(), Y.to_vec()), &o).unwrap();
    assert!(f.converged(), "{}", f.termination);
    assert!(rel(f.params[0], 18.20948254636802) < 1e-8);
    assert!(rel(f.params[1], -0.09202295573784652) < 1e-8);
    assert!(rel(f.stderr[0], 0.8279894315632251) < 1e-6);
    assert!(rel(f.stderr[1], 0.0027094628989739254) < 1e-6);
}

#[test]
fn saturating_ls_matches_scipy_curve_fit() {
    let o = FitOptions::new(Form::Saturating).with_objective(Objective::Ls);
    let f = fit(&Points::new(X.to_vec(), YS.to_vec()), &o).unwrap();
    assert!(f.converged(), "{}", f.termination);
    let want = [1.9000441134656743, 96.54246945957702, 0.2575904529127106];
    let se = [
        0.051843363160050004,
        13.96143996973632,
        0.011394045055548776,
    ];
    for i in 0..3 {
        assert!(
            rel(f.params[i], want[i]) < 1e-7,
            "{i}: {} vs {}",
            f.params[i],
            want[i]
        );
        assert!(
            rel(f.stderr[i], se[i]) < 1e-5,
            "{i}: {} vs {}",
            f.stderr[i],
            se[i]
        );
    }
}

#[test]
fn band_contains_prediction_and_widens_away_from_data() {
    let f = fit(
        &Points::new(X.to_vec(), Y.to_vec()),
        &FitOptions::new(Form::Power),
    )
    .unwrap();
    let (lo, hi) = f.band95(1e8, None);
    let y = f.predict(1e8, None);
    assert!(lo < y && y < hi);
    let (lo2, hi2) = f.band95(1e13, None);
    assert!(hi2 - lo2 > hi - lo);
}

#[test]
fn required_x_inverts_prediction_with_interval() {
    let f = fit(
        &Points::new(X.to_vec(), Y.to_vec()),
        &FitOptions::new(Form::Power),
    )
    .unwrap();
    let r = f.required_x(2.0).unwrap();
    assert!(rel(f.predict(r.x, None), 2.0) < 1e-12);
    assert!(r.ci95.0 < r.x && r.x < r.ci95.1);
    let g = fit(
        &Points::new(X.to_vec(), Y.to_vec()),
        &FitOptions::new(Form::Log),
    )
    .unwrap();
    let r = g.required_x(2.0).unwrap();
    assert!(rel(g.predict(r.x, None), 2.0) < 1e-12);
}

#[test]
fn saturating_default_huber_log_matches_scipy_minimum() {
    let f = fit(
        &Points::new(X.to_vec(), YS.to_vec()),
        &FitOptions::new(Form::Saturating),
    )
    .unwrap();
    assert_eq!(f.objective, Objective::HuberLog { delta: 1e-3 });
    assert!(f.converged(), "{}", f.termination);
    // SciPy's multi-start Nelder-Mead + Powell reaches 3.5079418136752525e-05.
    assert!(
        f.metrics.objective <= 3.5079418136752525e-05 * (1.0 + 1e-9),
        "{}",
        f.metrics.objective
    );
    let want = [1.9225367087796061, 98.70601843473982, 0.26021854702127756];
    for (got, want) in f.params.iter().zip(want) {
        assert!(rel(*got, want) < 1e-5, "{got} vs {want}");
    }
}

#[test]
fn power_huber_matches_scipy_minimum() {
    let o = FitOptions::new(Form::Power).with_objective(Objective::Huber { delta: 0.05 });
    let f = fit(&Points::new(X.to_vec(), Y.to_vec()), &o).unwrap();
    assert!(f.converged(), "{}", f.termination);
    assert!(
        f.metrics.objective <= 0.011626951693982812 * (1.0 + 1e-9),
        "{}",
        f.metrics.objective
    );
    assert!(
        rel(f.params[0], 18.27856986874835) < 1e-5,
        "{}",
        f.params[0]
    );
    assert!(
        rel(f.params[1], -0.09225799850373362) < 1e-5,
        "{}",
        f.params[1]
    );
}

#[test]
fn band_and_required_x_interval_match_scipy() {
    let o = FitOptions::new(Form::Power).with_objective(Objective::Ls);
    let f = fit(&Points::new(X.to_vec(), Y.to_vec()), &o).unwrap();
    let (lo, hi) = f.band95(1e8, None);
    assert!(rel(lo, 3.275139028949304) < 1e-6, "{lo}");
    assert!(rel(hi, 3.4105158568682836) < 1e-6, "{hi}");
    let r = f.required_x(3.0).unwrap();
    assert!(rel(r.x, 324087919.033678) < 1e-7, "{}", r.x);
    // The band inverted (issue 13): where its edges cross the target. (The delta method on
    // ln x, the interval before, gave 2.452e8 … 4.283e8.)
    assert!(rel(r.ci95.0, 248006219.5863641) < 1e-5, "{}", r.ci95.0);
    assert!(rel(r.ci95.1, 433780735.72587585) < 1e-5, "{}", r.ci95.1);
}
