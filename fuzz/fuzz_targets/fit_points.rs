//! Fitting arbitrary points with every law and objective, pins included: a fit or a typed
//! error, never a panic; a fit's answers (prediction, required input) never panic either.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use scalescope_core::{fit, FitOptions, Form, Objective, Points};

#[derive(Arbitrary, Debug)]
struct Input {
    form: u8,
    objective: u8,
    delta: f64,
    /// (x, y, d, weight) per point; at most 24 are used (the laws' multi-starts make a fit of
    /// thousands of points too slow for a fuzzer's time limit, and size is not what breaks).
    points: Vec<(f64, f64, f64, f64)>,
    weighted: bool,
    pin: Option<(u8, f64)>,
    target: f64,
}

fuzz_target!(|input: Input| {
    let form = Form::ALL[usize::from(input.form) % Form::ALL.len()];
    let objective = match input.objective % 5 {
        0 => Objective::Ls,
        1 => Objective::LsLog,
        2 => Objective::Huber { delta: input.delta },
        3 => Objective::HuberLog { delta: input.delta },
        _ => Objective::AsymLog {
            lambda: input.delta,
        },
    };
    let pts: Vec<_> = input.points.iter().take(24).collect();
    let x = pts.iter().map(|p| p.0).collect();
    let y = pts.iter().map(|p| p.1).collect();
    let mut points = if form.two_inputs() {
        Points::with_d(x, pts.iter().map(|p| p.2).collect(), y)
    } else {
        Points::new(x, y)
    };
    if input.weighted {
        points = points.with_weights(pts.iter().map(|p| p.3).collect());
    }
    let mut options = FitOptions::new(form).with_objective(objective);
    if let Some((k, value)) = input.pin {
        let names = form.param_names();
        options = options.with_fixed(names[usize::from(k) % names.len()], value);
    }
    if let Ok(f) = fit(&points, &options) {
        let _ = f.required_x(input.target);
        let _ = f.predict(input.target, Some(input.delta));
        let _ = f.predict_stderr(input.target, Some(input.delta));
    }
});
