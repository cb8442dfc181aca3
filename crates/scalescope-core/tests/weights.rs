//! Weights carry only their ratios (issue 15): token counts as weights used to make RMSE,
//! AIC and BIC scale with the weights' units (RMSE 3·10⁴× too large). The metrics use the
//! weights normalised to mean 1 over the positive-weight points.

use scalescope_core::{fit, Fit, FitOptions, Form, Metrics, Objective, Points};

/// Saturating data with a deterministic wiggle, and token counts as weights.
fn data() -> (Vec<f64>, Vec<f64>, Vec<f64>) {
    let x: Vec<f64> = (0..9).map(|k| 1e7 * 3f64.powi(k)).collect();
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, v)| (1.7 + 400.0 * v.powf(-0.34)) * (1.0 + 0.01 * ((i * 7 % 5) as f64 - 2.0)))
        .collect();
    let w: Vec<f64> = (0..9).map(|k| 2e8 * (1.0 + k as f64)).collect();
    (x, y, w)
}

fn fitted(points: &Points, objective: Objective) -> Fit {
    fit(
        points,
        &FitOptions::new(Form::Saturating).with_objective(objective),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs())
}

fn assert_same(a: &Fit, b: &Fit, rel: f64) {
    let (m, n): (&Metrics, &Metrics) = (&a.metrics, &b.metrics);
    for (name, u, v) in [
        ("rmse", m.rmse, n.rmse),
        ("ser", m.ser, n.ser),
        ("sse", m.sse, n.sse),
        ("aic", m.aic, n.aic),
        ("bic", m.bic, n.bic),
        ("r2", m.r2, n.r2),
        ("r2_raw", m.r2_raw, n.r2_raw),
    ] {
        assert!(close(u, v, rel), "{name}: {u} vs {v}");
    }
    for (k, (u, v)) in a.params.iter().zip(&b.params).enumerate() {
        assert!(close(*u, *v, rel), "param {k}: {u} vs {v}");
    }
    for (k, (u, v)) in a.stderr.iter().zip(&b.stderr).enumerate() {
        assert!(close(*u, *v, 1e-6), "stderr {k}: {u} vs {v}");
    }
}

#[test]
fn scaling_every_weight_by_a_million_changes_nothing() {
    let (x, y, w) = data();
    for objective in [Objective::Ls, Objective::LsLog] {
        let tokens = fitted(
            &Points::new(x.clone(), y.clone()).with_weights(w.clone()),
            objective,
        );
        let micro = w.iter().map(|v| v * 1e6).collect();
        let scaled = fitted(
            &Points::new(x.clone(), y.clone()).with_weights(micro),
            objective,
        );
        assert_same(&tokens, &scaled, 1e-9);
    }
}

#[test]
fn equal_weights_are_no_weights() {
    let (x, y, _) = data();
    for objective in [Objective::Ls, Objective::LsLog] {
        let plain = fitted(&Points::new(x.clone(), y.clone()), objective);
        let equal = fitted(
            &Points::new(x.clone(), y.clone()).with_weights(vec![3e4; x.len()]),
            objective,
        );
        assert_same(&plain, &equal, 1e-9);
        // RMSE is a residual size, not 3·10⁴ × √… of one: about the 1 % wiggle of y.
        assert!(equal.metrics.rmse < 0.05, "rmse {}", equal.metrics.rmse);
    }
}

#[test]
fn zero_weight_points_do_not_dilute_the_mean() {
    // Weights (2, 2, 0, …): normalised over the positive ones they are (1, 1, 0, …), so
    // the fit equals the unweighted fit of the positive-weight points.
    let (x, y, _) = data();
    let w: Vec<f64> = (0..x.len())
        .map(|i| if i % 3 == 2 { 0.0 } else { 2.0 })
        .collect();
    let keep: Vec<usize> = (0..x.len()).filter(|i| i % 3 != 2).collect();
    let weighted = fitted(
        &Points::new(x.clone(), y.clone()).with_weights(w),
        Objective::Ls,
    );
    let kept = fitted(
        &Points::new(
            keep.iter().map(|&i| x[i]).collect(),
            keep.iter().map(|&i| y[i]).collect(),
        ),
        Objective::Ls,
    );
    assert!(close(weighted.metrics.sse, kept.metrics.sse, 1e-9));
    for (u, v) in weighted.params.iter().zip(&kept.params) {
        assert!(close(*u, *v, 1e-9), "{u} vs {v}");
    }
}
