//! The formula parser on any text: a formula or an error with its column; a formula that
//! parses evaluates (value and gradient) and renders without panicking, and its text form
//! parses again, or fails only on a limit (the spaces and parentheses rendering adds can
//! take a formula near the length or depth limit past it; links carry the typed text).
#![no_main]

use libfuzzer_sys::fuzz_target;
use scalescope_core::formula::{Formula, Style};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(f) = Formula::parse(&text) else { return };
    let k = f.names().len();
    let values: Vec<f64> = (0..k).map(|i| 0.5 + i as f64).collect();
    let _ = f.eval(&values);
    let wrt: Vec<usize> = (0..k).collect();
    let mut grad = vec![0.0; k];
    let _ = f.eval_gradient(&values, &wrt, &mut grad);
    let none = vec![None; k];
    let plain = f.render(&none, Style::Text);
    let _ = f.render(&none, Style::Latex);
    let _ = f.render(&none, Style::Numpy);
    if let Err(e) = Formula::parse(&plain) {
        assert!(
            e.message.contains("nests deeper") || e.message.contains("at most"),
            "{text:?} renders as {plain:?}, which does not parse: {e:?}"
        );
    }
});
