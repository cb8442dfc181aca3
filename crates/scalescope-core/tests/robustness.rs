//! Whatever the data, `fit` returns a value or a typed error — never a panic — and what it
//! returns is usable; weights behave like repeated points.

use proptest::prelude::*;
use scalescope_core::{fit, FitMode, FitOptions, Form, InvertError, Objective, Points};

fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 1e-3f64..1e12,
        1 => -10.0f64..10.0,
        1 => Just(0.0),
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(1.0),
    ]
}

fn any_form() -> impl Strategy<Value = Form> {
    prop::sample::select(Form::ALL.to_vec())
}

fn any_objective() -> impl Strategy<Value = Option<Objective>> {
    prop_oneof![
        Just(None),
        Just(Some(Objective::Ls)),
        Just(Some(Objective::LsLog)),
        Just(Some(Objective::Huber { delta: 0.1 })),
        Just(Some(Objective::HuberLog { delta: 1e-3 })),
        Just(Some(Objective::Huber { delta: f64::NAN })),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn fit_never_panics(
        form in any_form(),
        objective in any_objective(),
        rows in prop::collection::vec((any_value(), any_value(), any_value()), 0..12),
        with_d in any::<bool>(),
    ) {
        let pts = Points {
            x: rows.iter().map(|r| r.0).collect(),
            d: with_d.then(|| rows.iter().map(|r| r.1).collect()),
            y: rows.iter().map(|r| r.2).collect(),
            weights: None,
        };
        let mut o = FitOptions::new(form);
        if let Some(obj) = objective {
            o = o.with_objective(obj);
        }
        if let Ok(f) = fit(&pts, &o) {
            prop_assert_eq!(f.params.len(), form.n_params());
            prop_assert_eq!(f.stderr.len(), form.n_params());
            prop_assert!(f.params.iter().all(|p| p.is_finite()), "{:?}", f.params);
            // The band at a data point is finite around the curve, or the fit says why not:
            // no covariance (flagged "not estimable", band NaN) or a curve that is not
            // finite there (flagged).
            let (x0, d0) = (pts.x[0], pts.d.as_ref().map(|d| d[0]));
            let (lo, hi) = f.band95(x0, d0);
            let y0 = f.predict(x0, d0);
            let flagged = |what: &str| f.warnings.iter().any(|w| w.contains(what));
            if f.covariance.is_none() {
                prop_assert!(lo.is_nan() && hi.is_nan(), "{lo} {hi}");
                prop_assert!(flagged("not estimable"), "{:?}", f.warnings);
            } else if !y0.is_finite() {
                prop_assert!(flagged("not finite"), "{:?}", f.warnings);
            } else {
                prop_assert!(
                    lo.is_finite() && hi.is_finite() && lo <= y0 && y0 <= hi,
                    "band ({lo}, {hi}) around {y0}: {f:?}"
                );
            }
            if !form.two_inputs() {
                // The input that reaches a target: finite with an interval around it (NaN
                // only without a covariance), or a typed refusal.
                match f.required_x(pts.y[0]) {
                    Ok(r) => {
                        prop_assert!(r.x.is_finite(), "{r:?}");
                        let (a, b) = r.ci95;
                        if f.covariance.is_none() {
                            prop_assert!(a.is_nan() && b.is_nan(), "{r:?}");
                        } else {
                            prop_assert!(
                                // (to rounding: an exact fit has a zero-width interval)
                                (a.is_nan() && b.is_nan())
                                    || (a <= r.x * (1.0 + 1e-12) && r.x * (1.0 - 1e-12) <= b),
                                "{r:?}"
                            );
                        }
                    }
                    Err(e) => prop_assert!(
                        matches!(e, InvertError::Unreachable { .. } | InvertError::BadArgument { .. }),
                        "{e:?}"
                    ),
                }
            }
        }
    }
}

#[test]
fn grid_mode_on_other_forms_falls_back_with_a_note() {
    let x = vec![1e6, 1e7, 1e8, 1e9];
    let y = vec![4.0, 3.2, 2.6, 2.2];
    let o = FitOptions::new(Form::Power).with_mode(FitMode::Grid);
    let f = fit(&Points::new(x, y), &o).unwrap();
    assert!(f.warnings.iter().any(|w| w.contains("grid mode")));
}

#[test]
fn integer_weights_equal_repeated_points() {
    let x = [1e6, 3e6, 1e7, 3e7, 1e8, 3e8];
    let y = [4.63, 4.01, 3.41, 3.05, 2.72, 2.51];
    let w = [1.0, 2.0, 1.0, 3.0, 1.0, 2.0];
    let weighted = Points::new(x.to_vec(), y.to_vec()).with_weights(w.to_vec());
    let (mut rx, mut ry) = (vec![], vec![]);
    for i in 0..x.len() {
        for _ in 0..w[i] as usize {
            rx.push(x[i]);
            ry.push(y[i]);
        }
    }
    let repeated = Points::new(rx, ry);
    for (form, obj) in [
        (Form::Power, Objective::LsLog),
        (Form::Power, Objective::Ls),
        (Form::Saturating, Objective::Ls),
        (Form::Saturating, Objective::HuberLog { delta: 1e-3 }),
    ] {
        let o = FitOptions::new(form).with_objective(obj);
        let a = fit(&weighted, &o).unwrap();
        let b = fit(&repeated, &o).unwrap();
        for (p, q) in a.params.iter().zip(&b.params) {
            assert!(((p - q) / q).abs() < 1e-7, "{form} {obj}: {p} vs {q}");
        }
        // The metrics use the weights with mean 1 (10 repeated points over 6 rows): the
        // weighted objective is the repeated one × 6/10, and the RMSE is the same.
        let scaled = a.metrics.objective * w.iter().sum::<f64>() / x.len() as f64;
        assert!(
            (scaled - b.metrics.objective).abs() <= 1e-12 * b.metrics.objective.abs().max(1e-300),
            "{form} {obj}: {scaled} vs {}",
            b.metrics.objective
        );
        assert!(
            ((a.metrics.rmse - b.metrics.rmse) / b.metrics.rmse).abs() < 1e-7,
            "{form} {obj}: rmse {} vs {}",
            a.metrics.rmse,
            b.metrics.rmse
        );
    }
}
