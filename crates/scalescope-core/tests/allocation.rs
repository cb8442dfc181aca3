//! Compute-optimal allocation against published numbers (Epoch AI 2024 at full precision;
//! Hoffmann et al. 2022's rounded fit at Chinchilla's budget), and round trips of the
//! closed-form inverses.

use scalescope_core::chinchilla::{
    compute_for_loss, optimal_allocation, tokens_for_loss, ChinchillaParams,
};
use scalescope_core::{units, InvertError};

const EPOCH: ChinchillaParams = ChinchillaParams {
    e: 1.816864,
    a: 482.0057,
    b: 2085.4342,
    alpha: 0.3478130,
    beta: 0.3658541,
};
const HOFFMANN: ChinchillaParams = ChinchillaParams {
    e: 1.69,
    a: 406.4,
    b: 410.7,
    alpha: 0.34,
    beta: 0.28,
};

/// `v` rounded to 4 significant digits, as text.
fn sig4(v: f64) -> String {
    format!("{v:.3e}")
}

#[test]
fn epoch_fit_at_1e24_flop() {
    let at = optimal_allocation(&EPOCH, 1e24).unwrap();
    assert_eq!(sig4(at.n), "9.601e10");
    assert_eq!(sig4(at.d), "1.736e12");
    assert_eq!(sig4(at.loss), "1.959e0");
    assert!((at.loss - 1.9592).abs() < 5e-5, "loss {}", at.loss);
    assert!((6.0 * at.n * at.d / 1e24 - 1.0).abs() < 1e-12);
    assert!((at.tokens_per_param - at.d / at.n).abs() < 1e-12 * at.tokens_per_param);
}

#[test]
fn hoffmann_fit_at_chinchilla_budget() {
    let at = optimal_allocation(&HOFFMANN, 5.88e23).unwrap();
    assert_eq!(sig4(at.n), "3.249e10");
    assert_eq!(sig4(at.d), "3.016e12");
}

#[test]
fn compute_for_loss_round_trips() {
    for p in [EPOCH, HOFFMANN] {
        for c in [1e18, 5.88e23, 1e24, 1e27] {
            let at = optimal_allocation(&p, c).unwrap();
            let back = compute_for_loss(&p, at.loss).unwrap();
            assert!(
                (back.compute / c - 1.0).abs() < 1e-10,
                "{c}: {}",
                back.compute
            );
        }
    }
}

#[test]
fn allocation_is_the_minimum_along_the_budget() {
    // Moving N off N* at fixed C = 6ND raises the loss.
    let c = 1e24;
    let at = optimal_allocation(&EPOCH, c).unwrap();
    for f in [0.9, 1.1] {
        let n = at.n * f;
        assert!(EPOCH.loss(n, c / (6.0 * n)) > at.loss);
    }
}

#[test]
fn tokens_for_loss_inverts_the_law() {
    let n = 7e10;
    let d = tokens_for_loss(&EPOCH, n, 2.0).unwrap();
    assert!((EPOCH.loss(n, d) - 2.0).abs() < 1e-12);
}

#[test]
fn unreachable_targets_are_errors() {
    assert!(matches!(
        compute_for_loss(&EPOCH, 1.8),
        Err(InvertError::Unreachable { .. })
    ));
    // A 1e6-parameter model cannot reach loss 2 with any data.
    assert!(matches!(
        tokens_for_loss(&EPOCH, 1e6, 2.0),
        Err(InvertError::Unreachable { .. })
    ));
    assert!(matches!(
        optimal_allocation(&EPOCH, -1.0),
        Err(InvertError::BadArgument { .. })
    ));
    let bad = ChinchillaParams {
        alpha: -0.1,
        ..EPOCH
    };
    assert!(matches!(
        optimal_allocation(&bad, 1e24),
        Err(InvertError::BadParams(_))
    ));
}

#[test]
fn perplexity_and_loss() {
    assert!((units::loss_to_ppl(units::ppl_to_loss(17.3)) - 17.3).abs() < 1e-12);
    assert!((units::ppl_to_loss(std::f64::consts::E) - 1.0).abs() < 1e-15);
    assert_eq!(units::ppl_to_loss_bits(8.0), 3.0);
    assert!((units::bits_to_nats(units::nats_to_bits(2.5)) - 2.5).abs() < 1e-15);
}
