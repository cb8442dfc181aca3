//! Every form: noise-free data recover the parameters to 1e-8 relative (property tests over
//! random parameters, under each form's default objective and under `ls`), analytic
//! gradients match finite differences, names round-trip, inversion inverts.

use proptest::prelude::*;
use scalescope_core::{fit, FitOptions, Form, Objective, Points};

/// Log-spaced inputs over `decades` decades from `lo`.
fn grid(lo: f64, decades: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| lo * 10f64.powf(decades * i as f64 / (n - 1) as f64))
        .collect()
}

fn points_for(form: Form, p: &[f64]) -> Points {
    match form {
        Form::Chinchilla => {
            let ns = grid(1e7, 3.0, 7);
            let ds = grid(1e9, 3.0, 7);
            let (mut x, mut d, mut y) = (vec![], vec![], vec![]);
            for &n in &ns {
                for &dd in &ds {
                    x.push(n);
                    d.push(dd);
                    y.push(form.eval(p, n, Some(dd)));
                }
            }
            Points::with_d(x, d, y)
        }
        Form::Exponential => {
            let x: Vec<f64> = (0..20).map(|i| i as f64 * 0.5).collect();
            let y = x.iter().map(|&v| form.eval(p, v, None)).collect();
            Points::new(x, y)
        }
        _ => {
            let x = grid(1e6, 5.0, 20);
            let y = x.iter().map(|&v| form.eval(p, v, None)).collect();
            Points::new(x, y)
        }
    }
}

fn assert_recovers(
    form: Form,
    objective: Option<Objective>,
    p: &[f64],
) -> Result<(), TestCaseError> {
    let pts = points_for(form, p);
    let mut o = FitOptions::new(form);
    if let Some(obj) = objective {
        o = o.with_objective(obj);
    }
    let f = fit(&pts, &o).map_err(|e| TestCaseError::fail(format!("{form}: {e}")))?;
    for (k, (got, want)) in f.params.iter().zip(p).enumerate() {
        let rel = ((got - want) / want).abs();
        prop_assert!(
            rel < 1e-8,
            "{} {:?} param {}: got {} want {} (rel {:e}); {}",
            form,
            f.objective,
            form.param_names()[k],
            got,
            want,
            rel,
            f.termination
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { max_global_rejects: 1_000_000, ..ProptestConfig::with_cases(48) })]

    #[test]
    fn power_recovers(a in 0.5f64..100.0, b in -1.0f64..-0.02) {
        assert_recovers(Form::Power, None, &[a, b])?;
        assert_recovers(Form::Power, Some(Objective::Ls), &[a, b])?;
        assert_recovers(Form::Power, Some(Objective::HuberLog { delta: 1e-3 }), &[a, b])?;
    }

    #[test]
    fn log_recovers(a in 2.0f64..20.0, b in -0.5f64..-0.01) {
        assert_recovers(Form::Log, None, &[a, b])?;
        assert_recovers(Form::Log, Some(Objective::Huber { delta: 1e-3 }), &[a, b])?;
    }

    #[test]
    fn exponential_recovers(a in 0.5f64..50.0, b in -0.8f64..0.3) {
        prop_assume!(b.abs() > 1e-3);
        assert_recovers(Form::Exponential, None, &[a, b])?;
        assert_recovers(Form::Exponential, Some(Objective::Ls), &[a, b])?;
    }

    #[test]
    fn saturating_recovers(e in 0.5f64..3.0, a in 5.0f64..500.0, alpha in 0.05f64..0.8) {
        assert_recovers(Form::Saturating, None, &[e, a, alpha])?;
        assert_recovers(Form::Saturating, Some(Objective::Ls), &[e, a, alpha])?;
    }

    #[test]
    fn rising_saturating_recovers(e in 1.5f64..3.0, a in -20.0f64..-1.0, alpha in 0.2f64..0.6) {
        // Accuracy-like data rising towards E from below (A < 0); y stays positive.
        assert_recovers(Form::Saturating, None, &[e, a, alpha])?;
        assert_recovers(Form::Saturating, Some(Objective::Ls), &[e, a, alpha])?;
    }

    #[test]
    fn chinchilla_recovers(
        e in 0.5f64..3.0, a in 50.0f64..2000.0, b in 50.0f64..5000.0,
        alpha in 0.1f64..0.7, beta in 0.1f64..0.7,
    ) {
        // Identifiability: each term must matter somewhere on the grid (≥ 5 % of the loss),
        // else a parameter is fixed only by rounding (e.g. B·D^−β ≈ 1e-7 of the loss).
        let p = [e, a, b, alpha, beta];
        let y = |n: f64, d: f64| Form::Chinchilla.eval(&p, n, Some(d));
        let (n0, n1, d0, d1) = (1e7f64, 1e10, 1e9f64, 1e12);
        prop_assume!(a * n0.powf(-alpha) >= 0.05 * y(n0, d1));
        prop_assume!(b * d0.powf(-beta) >= 0.05 * y(n1, d0));
        prop_assume!(e >= 0.05 * y(n1, d1));
        assert_recovers(Form::Chinchilla, None, &[e, a, b, alpha, beta])?;
        assert_recovers(Form::Chinchilla, Some(Objective::Ls), &[e, a, b, alpha, beta])?;
    }
}

#[test]
fn analytic_gradients_match_finite_differences() {
    let cases: [(Form, &[f64], f64, Option<f64>); 5] = [
        (Form::Power, &[12.0, -0.3], 3e7, None),
        (Form::Log, &[9.0, -0.25], 3e7, None),
        (Form::Saturating, &[1.7, 400.0, 0.33], 3e7, None),
        (Form::Exponential, &[3.0, -0.4], 2.5, None),
        (
            Form::Chinchilla,
            &[1.8, 480.0, 2100.0, 0.35, 0.37],
            3e9,
            Some(6e10),
        ),
    ];
    for (form, p, x, d) in cases {
        let mut g = vec![0.0; p.len()];
        form.gradient(p, x, d, &mut g);
        for k in 0..p.len() {
            let h = 1e-6 * p[k].abs();
            let (mut up, mut down) = (p.to_vec(), p.to_vec());
            up[k] += h;
            down[k] -= h;
            let fd = (form.eval(&up, x, d) - form.eval(&down, x, d)) / (2.0 * h);
            assert!(
                ((g[k] - fd) / fd).abs() < 1e-7,
                "{form} d/d{}: {} vs {fd}",
                form.param_names()[k],
                g[k]
            );
        }
    }
}

#[test]
fn names_and_objectives_round_trip() {
    for f in Form::ALL {
        assert_eq!(f.name().parse::<Form>().unwrap(), f);
        assert_eq!(f.to_string(), f.name());
        assert_eq!(f.param_names().len(), f.n_params());
    }
    for o in [
        Objective::Ls,
        Objective::LsLog,
        Objective::Huber { delta: 0.5 },
        Objective::HuberLog { delta: 0.001 },
    ] {
        assert_eq!(o.to_string().parse::<Objective>().unwrap(), o);
    }
    assert_eq!(
        Objective::HuberLog { delta: 1e-3 }.to_string(),
        "huber-log:0.001"
    );
    assert!("huber:-1".parse::<Objective>().is_err());
    assert!("cubic".parse::<Form>().is_err());
}

#[test]
fn required_x_inverts_every_one_input_form() {
    let cases: [(Form, &[f64], f64); 4] = [
        (Form::Power, &[12.0, -0.3], 2.0),
        (Form::Log, &[9.0, -0.25], 3.0),
        (Form::Saturating, &[1.7, 400.0, 0.33], 2.5),
        (Form::Exponential, &[3.0, -0.4], 0.5),
    ];
    for (form, p, target) in cases {
        let pts = points_for(form, p);
        let f = fit(&pts, &FitOptions::new(form).with_objective(Objective::Ls)).unwrap();
        let r = f.required_x(target).unwrap();
        assert!(
            (f.predict(r.x, None) - target).abs() < 1e-9 * target,
            "{form}"
        );
    }
    // Below the floor E a saturating law never gets there.
    let pts = points_for(Form::Saturating, &[1.7, 400.0, 0.33]);
    let f = fit(&pts, &FitOptions::new(Form::Saturating)).unwrap();
    assert!(f.required_x(1.6).is_err());
}
