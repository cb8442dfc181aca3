//! Every analytic derivative the optimisers use, checked against finite differences: the
//! residual Jacobians of each form in linear and log space, the same through the positive
//! (log) parameterisation, and the Huber objective's Hessian.

use super::residuals::FormModel;
use crate::solve::{
    numeric_hessian, numeric_jacobian, LogParams, ResidualModel, RobustObjective, SmoothObjective,
};
use crate::{Form, Objective, Points};
use nalgebra::DMatrix;

fn points(form: Form, p: &[f64]) -> Points {
    let xs: Vec<f64> = match form {
        Form::Exponential => (0..9).map(|i| 0.4 * i as f64).collect(),
        _ => (0..9).map(|i| 1e6 * 10f64.powf(0.5 * i as f64)).collect(),
    };
    let ds: Vec<f64> = (0..9)
        .map(|i| 2e9 * 10f64.powf(0.4 * ((i * 5) % 9) as f64))
        .collect();
    let d = (form == Form::Chinchilla).then(|| ds.clone());
    // Off the curve by a few per cent, so residuals straddle the Huber threshold.
    let y = xs
        .iter()
        .enumerate()
        .map(|(i, &x)| {
            form.eval(p, x, d.as_ref().map(|d| d[i])) * (1.0 + 0.02 * ((i % 3) as f64 - 1.0))
        })
        .collect();
    Points {
        x: xs,
        d,
        y,
        weights: None,
    }
}

fn cases() -> Vec<(Form, Vec<f64>)> {
    vec![
        (Form::Power, vec![12.0, -0.3]),
        (Form::Log, vec![9.0, -0.25]),
        (Form::Saturating, vec![1.7, 400.0, 0.33]),
        (Form::Exponential, vec![3.0, -0.4]),
        (Form::Chinchilla, vec![1.8, 480.0, 2100.0, 0.35, 0.37]),
    ]
}

fn assert_close(a: &DMatrix<f64>, b: &DMatrix<f64>, tol: f64, what: &str) {
    let scale = b.amax().max(1e-300);
    let err = (a - b).amax() / scale;
    assert!(
        err < tol,
        "{what}: relative error {err:e}\nanalytic {a}\nnumeric {b}"
    );
}

#[test]
fn form_residual_jacobians_match_finite_differences() {
    for (form, p) in cases() {
        let pts = points(form, &p);
        for log in [false, true] {
            let m = FormModel::new(form, &pts, log);
            let mut j = DMatrix::zeros(m.n_residuals(), m.n_params());
            m.jacobian(&p, &mut j);
            assert_close(
                &j,
                &numeric_jacobian(&m, &p),
                1e-7,
                &format!("{form} log={log}"),
            );
        }
    }
}

#[test]
fn log_parameter_jacobian_matches_finite_differences() {
    let (form, p) = (Form::Chinchilla, [1.8, 480.0, 2100.0, 0.35, 0.37]);
    let pts = points(form, &p);
    let m = FormModel::new(form, &pts, true);
    let lp = LogParams::new(&m, &[true, true, true, false, false]);
    let phi = lp.from_natural(&p).unwrap();
    let mut j = DMatrix::zeros(9, 5);
    lp.jacobian(&phi, &mut j);
    assert_close(&j, &numeric_jacobian(&lp, &phi), 1e-7, "log params");
}

#[test]
fn huber_hessians_match_differenced_gradients() {
    for (form, p) in cases() {
        let pts = points(form, &p);
        for objective in [Objective::Ls, Objective::HuberLog { delta: 1e-2 }] {
            if objective.is_log() && form == Form::Log {
                continue;
            }
            let m = FormModel::new(form, &pts, objective.is_log());
            let obj = RobustObjective::new(&m, None, objective);
            let mut h = DMatrix::zeros(p.len(), p.len());
            assert!(obj.hessian(&p, &mut h));
            let what = format!("{form} {objective}");
            assert_close(&h, &numeric_hessian(&obj, &p), 1e-5, &what);
            if form == Form::Chinchilla {
                let lp = LogParams::new(&m, &[true, true, true, false, false]);
                let phi = lp.from_natural(&p).unwrap();
                let obj = RobustObjective::new(&lp, None, objective);
                assert!(obj.hessian(&phi, &mut h));
                assert_close(
                    &h,
                    &numeric_hessian(&obj, &phi),
                    1e-5,
                    "chinchilla log params",
                );
            }
        }
    }
}
