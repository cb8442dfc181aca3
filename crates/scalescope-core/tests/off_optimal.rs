//! The cost of going off-optimal (issue 14, section 5): through `Model`'s frontier against
//! the closed form of the Chinchilla law, and against a brute-force computation.

use scalescope_core::off_optimal::{chinchilla_overhead, off_optimal};
use scalescope_core::presets::{Model, PresetId};
use scalescope_core::{Form, InvertError};

const KS: [f64; 9] = [0.3, 0.5, 0.8, 0.95, 1.0, 1.05, 1.25, 2.0, 4.0];

#[test]
fn the_frontier_agrees_with_the_closed_form() {
    for id in [PresetId::Hoffmann2022, PresetId::Epoch2024] {
        let law = id.preset().law;
        let (alpha, beta) = (law.params[3], law.params[4]);
        for compute in [1e20, 5.88e23, 1e26] {
            let c = off_optimal(&Model::published(&law), compute, &KS).unwrap();
            for (k, r) in KS.iter().zip(&c.points) {
                let r = r.as_ref().unwrap();
                let want = chinchilla_overhead(alpha, beta, *k).unwrap();
                assert!(
                    (r.overhead - want).abs() < 1e-9,
                    "{id:?} {compute} k={k}: {} vs {want}",
                    r.overhead
                );
                assert!((r.n / (k * c.optimum.n) - 1.0).abs() < 1e-15);
                if *k == 1.0 {
                    assert!(r.overhead.abs() < 1e-12, "{}", r.overhead);
                } else {
                    assert!(r.overhead > 0.0, "k={k}: {}", r.overhead);
                }
            }
            // Below k_min = (1 + α/β)^(−1/α) no data is enough.
            let k_min = (1.0 + alpha / beta).powf(-1.0 / alpha);
            assert!(
                (c.k_min / k_min - 1.0).abs() < 1e-9,
                "{} vs {k_min}",
                c.k_min
            );
            let edge = off_optimal(
                &Model::published(&law),
                compute,
                &[k_min * 0.999, k_min * 1.001],
            )
            .unwrap();
            assert!(matches!(
                edge.points[0],
                Err(InvertError::Unreachable { .. })
            ));
            assert!(edge.points[1].as_ref().unwrap().overhead > 1.0);
        }
    }
}

/// `L = E + A·N^−α + B·D^−β`.
fn loss(p: &[f64], n: f64, d: f64) -> f64 {
    p[0] + p[1] * n.powf(-p[3]) + p[2] * d.powf(-p[4])
}

#[test]
fn brute_force_agrees() {
    // Independent of the closed forms: the optimum at 5.88e23 FLOP by golden-section search
    // of L(N, C/(6N)) over ln N, then D for a model half (and twice) that size by bisection
    // on ln D of L(kN*, D) = L*.
    let p = [1.69, 406.4, 410.7, 0.34, 0.28];
    let c = 5.88e23;
    let along = |ln_n: f64| loss(&p, ln_n.exp(), c / (6.0 * ln_n.exp()));
    let (mut lo, mut hi) = (15f64, 35f64);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    for _ in 0..200 {
        let (a, b) = (hi - g * (hi - lo), lo + g * (hi - lo));
        if along(a) < along(b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    let n_star = ((lo + hi) / 2.0).exp();
    let d_star = c / (6.0 * n_star);
    let l_star = loss(&p, n_star, d_star);
    let curve = off_optimal(&Model::of(Form::Chinchilla, p.to_vec()), c, &[0.5, 2.0]).unwrap();
    assert!((curve.optimum.n / n_star - 1.0).abs() < 1e-6);
    for (k, r) in [0.5, 2.0].iter().zip(&curve.points) {
        let (mut a, mut b) = (d_star.ln() - 20.0, d_star.ln() + 20.0);
        for _ in 0..200 {
            let m = (a + b) / 2.0;
            if loss(&p, k * n_star, m.exp()) > l_star {
                a = m;
            } else {
                b = m;
            }
        }
        let d = ((a + b) / 2.0).exp();
        let overhead = k * d / d_star - 1.0;
        let r = r.as_ref().unwrap();
        assert!(
            (r.overhead - overhead).abs() < 1e-6,
            "k={k}: {} vs {overhead}",
            r.overhead
        );
    }
    // For these exponents: half the size costs 20.8 % more compute, twice the size 13.2 %
    // (k·(1 + (β/α)(1 − k^−α))^(−1/β) − 1 by hand).
    let r = curve.points[0].as_ref().unwrap().overhead;
    assert!((r - 0.2080).abs() < 5e-4, "{r}");
}

#[test]
fn other_laws_of_n_and_d_and_one_input_laws() {
    let law = PresetId::Kaplan2020ND.preset().law;
    let c = off_optimal(&Model::published(&law), 1e24, &[0.5, 1.0, 2.0]).unwrap();
    let o: Vec<f64> = c
        .points
        .iter()
        .map(|r| r.as_ref().unwrap().overhead)
        .collect();
    assert!(o[0] > 0.0 && o[1].abs() < 1e-6 && o[2] > 0.0, "{o:?}");
    let one = PresetId::Kaplan2020N.preset().law;
    assert_eq!(
        off_optimal(&Model::published(&one), 1e24, &[1.0]),
        Err(InvertError::NoFrontier)
    );
    let bad = off_optimal(&Model::published(&law), 1e24, &[-1.0]).unwrap();
    assert!(matches!(
        bad.points[0],
        Err(InvertError::BadArgument { .. })
    ));
}
