//! Degenerate inputs give typed errors or flagged values, never panics.

use scalescope_core::{fit, Column, FitError, FitOptions, Form, InvertError, Objective, Points};

fn p(x: &[f64], y: &[f64]) -> Points {
    Points::new(x.to_vec(), y.to_vec())
}

#[test]
fn too_few_points() {
    let e = fit(&p(&[1.0], &[1.0]), &FitOptions::new(Form::Power)).unwrap_err();
    assert_eq!(e, FitError::TooFewPoints { n: 1, params: 2 });
    let e = fit(&p(&[], &[]), &FitOptions::new(Form::Log)).unwrap_err();
    assert!(matches!(e, FitError::TooFewPoints { n: 0, .. }));
}

#[test]
fn constant_input() {
    let e = fit(
        &p(&[5.0; 4], &[1.0, 2.0, 3.0, 4.0]),
        &FitOptions::new(Form::Power),
    )
    .unwrap_err();
    assert_eq!(e, FitError::ConstantInput { column: Column::X });
}

#[test]
fn non_positive_under_a_log() {
    let e = fit(
        &p(&[1.0, 2.0, 0.0, 4.0], &[4.0, 3.0, 2.0, 1.0]),
        &FitOptions::new(Form::Power),
    )
    .unwrap_err();
    assert!(matches!(
        e,
        FitError::NonPositive {
            index: 2,
            column: Column::X,
            ..
        }
    ));
    let e = fit(
        &p(&[1.0, 2.0, 3.0, 4.0], &[4.0, -3.0, 2.0, 1.0]),
        &FitOptions::new(Form::Power),
    )
    .unwrap_err();
    assert!(matches!(
        e,
        FitError::NonPositive {
            index: 1,
            column: Column::Y,
            ..
        }
    ));
    assert!(e.to_string().contains("point 2"), "{e}");
    // Linear-space least squares accepts a negative y for the log form.
    assert!(fit(
        &p(&[1.0, 2.0, 3.0, 4.0], &[4.0, -3.0, 2.0, 1.0]),
        &FitOptions::new(Form::Log)
    )
    .is_ok());
}

#[test]
fn non_finite_values() {
    let e = fit(
        &p(&[1.0, 2.0, 3.0, 4.0], &[4.0, f64::NAN, 2.0, 1.0]),
        &FitOptions::new(Form::Log),
    )
    .unwrap_err();
    assert_eq!(
        e,
        FitError::NonFinite {
            index: 1,
            column: Column::Y
        }
    );
    let e = fit(
        &p(&[1.0, f64::INFINITY, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0]),
        &FitOptions::new(Form::Log),
    )
    .unwrap_err();
    assert_eq!(
        e,
        FitError::NonFinite {
            index: 1,
            column: Column::X
        }
    );
}

#[test]
fn mismatched_lengths_and_missing_d() {
    let e = fit(
        &p(&[1.0, 2.0, 3.0], &[4.0, 3.0, 2.0, 1.0]),
        &FitOptions::new(Form::Log),
    )
    .unwrap_err();
    assert!(matches!(
        e,
        FitError::LengthMismatch {
            column: Column::X,
            expected: 4,
            len: 3
        }
    ));
    let e = fit(
        &p(
            &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            &[6.0, 5.0, 4.0, 3.0, 2.0, 1.0],
        ),
        &FitOptions::new(Form::Chinchilla),
    )
    .unwrap_err();
    assert_eq!(e, FitError::MissingD);
}

#[test]
fn bad_weights_and_delta() {
    let pts =
        p(&[1.0, 2.0, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0]).with_weights(vec![1.0, -1.0, 1.0, 1.0]);
    assert!(matches!(
        fit(&pts, &FitOptions::new(Form::Log)),
        Err(FitError::BadWeight { index: 1, .. })
    ));
    let pts =
        p(&[1.0, 2.0, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0]).with_weights(vec![1.0, 0.0, 0.0, 0.0]);
    assert!(matches!(
        fit(&pts, &FitOptions::new(Form::Log)),
        Err(FitError::TooFewPoints { n: 1, .. })
    ));
    let o = FitOptions::new(Form::Log).with_objective(Objective::Huber { delta: 0.0 });
    assert_eq!(
        fit(&p(&[1.0, 2.0, 3.0, 4.0], &[4.0, 3.0, 2.0, 1.0]), &o).unwrap_err(),
        FitError::BadDelta(0.0)
    );
}

#[test]
fn as_many_points_as_parameters_interpolates_and_flags_uncertainty() {
    let f = fit(&p(&[1e6, 1e8], &[4.0, 2.3]), &FitOptions::new(Form::Power)).unwrap();
    assert!((f.params[1] - (2.3f64 / 4.0).ln() / 100f64.ln()).abs() < 1e-14);
    assert_eq!(f.metrics.dof, 0);
    assert!(f.covariance.is_none() && f.stderr.iter().all(|s| s.is_nan()));
    assert!(f.ci95.iter().all(|(lo, hi)| lo.is_nan() && hi.is_nan()));
    assert!(f.metrics.ser.is_nan());
    assert!(!f.warnings.is_empty());
    let r = f.required_x(3.0).unwrap();
    assert!(r.x.is_finite() && r.ci95.0.is_nan());
}

#[test]
fn exact_fit_with_no_spare_points_is_flagged_not_fatal() {
    // Three points, three parameters would be an error; four noise-free points fit exactly
    // and the uncertainty is simply zero or flagged.
    let x = [1e6, 1e7, 1e8, 1e9];
    let y: Vec<f64> = x
        .iter()
        .map(|v: &f64| 1.7 + 400.0 * v.powf(-0.33))
        .collect();
    let f = fit(&p(&x, &y), &FitOptions::new(Form::Saturating)).unwrap();
    assert_eq!(f.metrics.dof, 1);
    assert!(f.params.iter().all(|v| v.is_finite()));
}

#[test]
fn singular_jacobian_flags_uncertainty() {
    // D = 20·N: N^−alpha and D^−beta are collinear when alpha = beta, so A and B (and the
    // exponents) cannot be told apart. The fit still returns, with the uncertainty flagged.
    let n = [1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13];
    let d: Vec<f64> = n.iter().map(|v| v * 20.0).collect();
    let y: Vec<f64> = n
        .iter()
        .zip(&d)
        .map(|(a, b)| 1.8 + 480.0 * a.powf(-0.35) + 2000.0 * b.powf(-0.35))
        .collect();
    let o = FitOptions::new(Form::Chinchilla).with_objective(Objective::Ls);
    let f = fit(&Points::with_d(n.to_vec(), d, y), &o).unwrap();
    assert!(f.covariance.is_none(), "{:?}", f.covariance);
    assert!(f.stderr.iter().all(|s| s.is_nan()));
    assert!(f.warnings.iter().any(|w| w.contains("not estimable")));
    let (lo, hi) = f.band95(1e9, Some(2e10));
    assert!(lo.is_nan() && hi.is_nan());
}

#[test]
fn chinchilla_form_cannot_invert_one_input() {
    let n = [1e7, 1e8, 1e9, 1e7, 1e8, 1e9, 1e10];
    let d = [1e9, 1e10, 1e11, 1e11, 1e9, 1e10, 1e12];
    let y: Vec<f64> = n
        .iter()
        .zip(&d)
        .map(|(a, b): (&f64, &f64)| 1.8 + 480.0 * a.powf(-0.35) + 2000.0 * b.powf(-0.37))
        .collect();
    let f = fit(
        &Points::with_d(n.to_vec(), d.to_vec(), y),
        &FitOptions::new(Form::Chinchilla),
    )
    .unwrap();
    assert_eq!(f.required_x(2.0).unwrap_err(), InvertError::NotOneInput);
}

#[test]
fn mixed_sign_y_under_linear_least_squares() {
    // Power and exponential under ls with y of both signs: no log-linear start exists; the
    // fit still reaches SciPy's best of 400 starts (scripts/scipy/reference_mixed_sign.py).
    let x = [1.0, 2.0, 3.0, 4.0, 5.0];
    let y = [-1.0, 0.5, 1.0, 1.2, 1.5];
    for (form, sse, a, b) in [
        (Form::Power, 1.3703145321395025, 0.1018681, 1.73032942),
        (
            Form::Exponential,
            1.7183168784172815,
            0.10783692,
            0.54931737,
        ),
    ] {
        let f = fit(
            &p(&x, &y),
            &FitOptions::new(form).with_objective(Objective::Ls),
        )
        .unwrap_or_else(|e| panic!("{form}: {e}"));
        assert!(f.termination.converged(), "{form}: {}", f.termination);
        assert!(
            (f.metrics.sse - sse).abs() <= 1e-9 * sse,
            "{form}: sse {} want {sse}",
            f.metrics.sse
        );
        assert!(
            (f.params[0] - a).abs() < 1e-6 && (f.params[1] - b).abs() < 1e-6,
            "{form}: {:?}",
            f.params
        );
    }
}

#[test]
fn fewer_distinct_inputs_than_parameters_is_refused() {
    // A saturating law (3 parameters) through two x values fits any alpha: it used to
    // come back "converged" with an arbitrary exponent.
    let x = [1e6, 1e6, 1e6, 1e8, 1e8, 1e8];
    let y = [4.0, 4.1, 3.9, 2.3, 2.4, 2.2];
    let e = fit(&p(&x, &y), &FitOptions::new(Form::Saturating)).unwrap_err();
    assert_eq!(
        e,
        FitError::TooFewDistinct {
            distinct: 2,
            params: 3,
            pairs: false
        }
    );
    assert_eq!(
        e.to_string(),
        "2 distinct input values cannot determine 3 parameters: need at least 3"
    );
    // Zero-weight points do not count: three x values, one of them weightless.
    let pts = p(&[1e6, 1e7, 1e8, 1e6, 1e8], &[4.0, 3.1, 2.3, 4.1, 2.2])
        .with_weights(vec![1.0, 0.0, 1.0, 1.0, 1.0]);
    assert_eq!(
        fit(&pts, &FitOptions::new(Form::Saturating)),
        Err(FitError::TooFewDistinct {
            distinct: 2,
            params: 3,
            pairs: false
        })
    );
    // Chinchilla counts (N, D) pairs: 8 points on 4 pairs cannot fix 5 parameters.
    let n = [1e7, 1e8, 1e7, 1e8, 1e7, 1e8, 1e7, 1e8];
    let d = [1e9, 1e9, 1e10, 1e10, 1e9, 1e9, 1e10, 1e10];
    let y: Vec<f64> = (0..8).map(|i| 3.0 - 0.01 * i as f64).collect();
    let e = fit(
        &Points::with_d(n.to_vec(), d.to_vec(), y),
        &FitOptions::new(Form::Chinchilla),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "4 distinct (N, D) pairs cannot determine 5 parameters: need at least 5"
    );
    // Three distinct x values are enough for the saturating law.
    let x = [1e6, 1e7, 1e8, 1e6, 1e7, 1e8];
    let y: Vec<f64> = x
        .iter()
        .map(|v: &f64| 1.7 + 400.0 * v.powf(-0.33))
        .collect();
    assert!(fit(&p(&x, &y), &FitOptions::new(Form::Saturating)).is_ok());
}
