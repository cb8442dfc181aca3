//! The formula language: parsing, errors, evaluation, gradients and rendering.

use super::*;
use proptest::prelude::*;

fn parse(text: &str) -> Formula {
    match Formula::parse(text) {
        Ok(f) => f,
        Err(e) => panic!("{text}: {e}"),
    }
}

fn error(text: &str) -> String {
    match Formula::parse(text) {
        Ok(f) => panic!("{text} parsed as {:?}", f.expr()),
        Err(e) => e.to_string(),
    }
}

#[test]
fn precedence_and_signs() {
    let f = parse("E + A*N^-alpha + B*D^-beta");
    assert_eq!(f.names(), ["E", "A", "N", "alpha", "B", "D", "beta"]);
    let v = f.eval(&[1.69, 406.4, 7e10, 0.34, 410.7, 1.4e12, 0.28]);
    let want = 1.69 + 406.4 * 7e10f64.powf(-0.34) + 410.7 * 1.4e12f64.powf(-0.28);
    assert_eq!(v, want);
    // -x^2 is -(x^2); 2^3^2 is 2^9; unary minus binds looser than ^, tighter than *.
    assert_eq!(parse("-x^2").eval(&[3.0]), -9.0);
    assert_eq!(parse("2^3^2").eval(&[]), 512.0);
    assert_eq!(parse("(-x)^2").eval(&[3.0]), 9.0);
    assert_eq!(parse("2*-x").eval(&[3.0]), -6.0);
    assert_eq!(parse("a - -b").eval(&[1.0, 2.0]), 3.0);
    assert_eq!(parse("8/2/2").eval(&[]), 2.0);
    assert_eq!(parse("2^-1^2").eval(&[]), 0.5);
}

#[test]
fn numbers_with_suffixes_and_functions() {
    assert_eq!(parse("70M").eval(&[]), 7e7);
    assert_eq!(parse("1.4T").eval(&[]), 1.4e12);
    assert_eq!(parse("1e9 + 5k").eval(&[]), 1e9 + 5e3);
    assert_eq!(parse("2B").eval(&[]), 2e9);
    // A suffix letter followed by more letters is a name: 2*Mx is not 2M·x.
    assert_eq!(parse("2*Mx").names(), ["Mx"]);
    // No implicit multiplication: `3e` and `2x` are errors, not 3·e and 2·x.
    assert_eq!(
        error("3e"),
        "col 2: expected the end of the formula or an operator before this"
    );
}

#[test]
fn errors_name_the_column() {
    assert_eq!(error("E + A*x^"), "col 9: expected an operand after '^'");
    assert_eq!(error("E + "), "col 5: expected an operand after '+'");
    assert_eq!(
        error("foo(x)"),
        "col 1: unknown function 'foo': the functions are exp, ln, log, log10, log2, sqrt, abs, min, max, pow"
    );
    assert_eq!(error("min(x)"), "col 1: min takes two arguments, not 1");
    assert_eq!(
        error("(a + b"),
        "col 7: expected ')' to close the '(' at col 1"
    );
    assert_eq!(
        error("a b"),
        "col 3: expected the end of the formula or an operator before this"
    );
    assert_eq!(
        error("a)"),
        "col 2: expected the end of the formula or an unmatched ')'"
    );
    assert_eq!(error("a $ b"), "col 3: unexpected character '$'");
    assert_eq!(error(""), "col 1: expected a formula, e.g. E + A*x^-alpha");
    assert_eq!(error("exp + 1"), "col 1: 'exp' is a function: write exp(…)");
    assert!(error(&"x+".repeat(600)).contains("at most 1000 characters"));
    let deep = format!("{}x{}", "(".repeat(100), ")".repeat(100));
    assert!(
        error(&deep).contains("nests deeper than 48"),
        "{}",
        error(&deep)
    );
    assert!(error(&"-".repeat(200)).contains("nests deeper"));
}

#[test]
fn gradients_are_exact() {
    let f = parse("E + A*(D + D0)^-alpha * exp(-D/x0) + log10(D) - sqrt(abs(A)) + min(A, E) + max(D0, 2) + pow(D, 0.5) + log2(A) + ln(E)");
    let names = f.names().to_vec();
    let vals: Vec<f64> = names
        .iter()
        .enumerate()
        .map(|(i, _)| 1.3 + 0.7 * i as f64)
        .collect();
    let wrt: Vec<usize> = (0..names.len()).collect();
    let mut g = vec![0.0; wrt.len()];
    let v = f.eval_gradient(&vals, &wrt, &mut g);
    assert_eq!(v, f.eval(&vals));
    for (k, gk) in g.iter().enumerate() {
        let h = 1e-6 * vals[k].abs();
        let (mut up, mut down) = (vals.clone(), vals.clone());
        up[k] += h;
        down[k] -= h;
        let fd = (f.eval(&up) - f.eval(&down)) / (2.0 * h);
        assert!(
            (gk - fd).abs() <= 1e-6 * fd.abs().max(1.0),
            "{}: {gk} vs {fd}",
            names[k]
        );
    }
}

#[test]
fn negative_bases_with_constant_exponents_differentiate() {
    let f = parse("a^2 + a^3");
    let mut g = [0.0];
    let v = f.eval_gradient(&[-2.0], &[0], &mut g);
    assert_eq!(v, 4.0 - 8.0);
    assert_eq!(g[0], 2.0 * -2.0 + 3.0 * 4.0);
}

/// Found by the fuzzer: a chain of minus signs the parser takes must render as text it takes
/// again (parentheses around each `-` nested past the depth limit).
#[test]
fn a_chain_of_minus_signs_renders_back_into_a_formula() {
    let text = format!("epsilon {} x", "-".repeat(38));
    let f = parse(&text);
    let back = f.render(&[None, None], Style::Text);
    assert_eq!(back, format!("epsilon - {}x", "-".repeat(37)));
    assert_eq!(parse(&back).eval(&[2.0, 3.0]), f.eval(&[2.0, 3.0]));
    assert_eq!(f.eval(&[2.0, 3.0]), 5.0, "2 - (37 minus signs) 3");
}

#[test]
fn rendering() {
    let f = parse("E + A*x^-alpha");
    assert_eq!(f.render(&[None; 4], Style::Text), "E + A*x^(-alpha)");
    assert_eq!(f.render(&[None; 4], Style::Numpy), "E + A*x ** (-alpha)");
    assert_eq!(
        f.render(&[Some(1.69), Some(406.4), None, Some(0.34)], Style::Latex),
        "1.69 + 406.4 \\cdot x^{-0.34}"
    );
    assert_eq!(
        parse("a/(b*c) - exp(-x)").render(&[None; 4], Style::Latex),
        "\\frac{a}{b \\cdot c} - \\exp\\left(-x\\right)"
    );
    assert_eq!(
        parse("min(a, b) + ln(x)").render(&[None; 3], Style::Numpy),
        "np.minimum(a, b) + np.log(x)"
    );
}

/// Random well-formed expressions over names a, b, x.
fn expr() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("x".to_string()),
        (-1e3f64..1e3).prop_map(|v| format!("{v}")),
        Just("70M".to_string()),
    ];
    leaf.prop_recursive(5, 40, 3, |inner| {
        prop_oneof![
            (
                inner.clone(),
                prop::sample::select(vec!["+", "-", "*", "/", "^"]),
                inner.clone()
            )
                .prop_map(|(a, op, b)| format!("{a} {op} {b}")),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| format!("({a})^-({b})")),
            inner.clone().prop_map(|a| format!("-({a})")),
            (
                prop::sample::select(vec!["exp", "ln", "log10", "log2", "sqrt", "abs"]),
                inner.clone()
            )
                .prop_map(|(f, a)| format!("{f}({a})")),
            (
                prop::sample::select(vec!["min", "max", "pow"]),
                inner.clone(),
                inner
            )
                .prop_map(|(f, a, b)| format!("{f}({a}, {b})")),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_parses_or_errs_without_panic(text in ".{0,200}") {
        let _ = Formula::parse(&text);
    }

    #[test]
    fn well_formed_expressions_round_trip_and_differentiate(
        text in expr(),
        a in 0.1f64..5.0,
        b in 0.1f64..5.0,
        x in 0.1f64..5.0,
    ) {
        let f = Formula::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        // Text rendering parses back to the same tree.
        let names = f.names().len();
        let back = f.render(&vec![None; names], Style::Text);
        let g = Formula::parse(&back).map_err(|e| TestCaseError::fail(format!("{back}: {e}")))?;
        prop_assert_eq!(g.expr(), f.expr(), "{} → {}", text, back);
        // Gradients agree with central differences where the formula is smooth there.
        let vals: Vec<f64> = f
            .names()
            .iter()
            .map(|n| match n.as_str() { "a" => a, "b" => b, _ => x })
            .collect();
        let wrt: Vec<usize> = (0..names).collect();
        let mut grad = vec![0.0; names];
        let v = f.eval_gradient(&vals, &wrt, &mut grad);
        let plain = f.eval(&vals);
        prop_assert!(v == plain || (v.is_nan() && plain.is_nan()), "{} vs {}", v, plain);
        if !(v.is_finite() && v.abs() < 1e8) {
            return Ok(());
        }
        for k in 0..names {
            let h = 1e-6 * vals[k];
            let at = |d: f64| {
                let mut w = vals.clone();
                w[k] += d;
                f.eval(&w)
            };
            let (up, down, up2, down2) = (at(h), at(-h), at(2.0 * h), at(-2.0 * h));
            let fd = (up - down) / (2.0 * h);
            let fd2 = (up2 - down2) / (4.0 * h);
            // A tenth of the step: rounding noise grows tenfold, truncation error shrinks.
            let fd10 = (at(h / 10.0) - at(-h / 10.0)) / (h / 5.0);
            // Rounding in the differences: a few ulps of the value over the step.
            let tol = 1e-4 * fd.abs().max(1.0) + 1e-14 * v.abs() / h;
            // Only where the function is smooth at this scale (no kink or branch nearby:
            // the wider step agrees) and the differences are not rounding noise (the
            // narrower step agrees: `-(min(x - 70M, a) + 70M)` cancels 70M at every step,
            // and its central difference is off by ulp(7e7)/h, though the value is ~x).
            let smooth = [up, down, up2, down2].iter().all(|t| t.is_finite())
                && (fd - fd2).abs() <= tol
                && (fd - fd10).abs() <= tol;
            if smooth && grad[k].is_finite() {
                prop_assert!(
                    (grad[k] - fd).abs() <= tol,
                    "{}: d/d{} = {} vs {}", text, f.names()[k], grad[k], fd
                );
            }
        }
    }
}
