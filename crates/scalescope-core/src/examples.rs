//! Built-in synthetic datasets: the page opens on one of them so that a fitted plot shows at once.
//!
//! Every example is generated from a published (or clearly labelled hypothetical) law with
//! seeded multiplicative noise, so it is reproducible to the last digit on every machine
//! (`rand_pcg` is portable; OS entropy is never used).

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use std::fmt::Write as _;

/// Which built-in dataset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExampleId {
    /// Loss against parameters for two model families (saturating law per family).
    Families,
    /// Kaplan et al. 2020 L(N): a pure power law.
    KaplanPower,
    /// A Chinchilla-style N × D sweep generated from Epoch AI's 2024 fit.
    ChinchillaSweep,
}

/// A built-in dataset as CSV text (its title and description: [`ExampleId::title`],
/// [`ExampleId::description`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// Which example this is.
    pub id: ExampleId,
    /// The data as comma-separated text with a header row.
    pub csv: String,
}

impl ExampleId {
    /// All examples, the default (first-open) one first.
    pub const ALL: [ExampleId; 3] = [
        ExampleId::Families,
        ExampleId::KaplanPower,
        ExampleId::ChinchillaSweep,
    ];

    /// Stable identifier, used in share links and the example menu.
    pub fn key(self) -> &'static str {
        match self {
            ExampleId::Families => "families",
            ExampleId::KaplanPower => "kaplan",
            ExampleId::ChinchillaSweep => "chinchilla",
        }
    }

    /// Looks an example up by [`ExampleId::key`].
    pub fn from_key(key: &str) -> Option<ExampleId> {
        ExampleId::ALL.into_iter().find(|id| id.key() == key)
    }

    /// Short title for a menu.
    pub fn title(self) -> &'static str {
        match self {
            ExampleId::Families => "Two model families, loss vs parameters",
            ExampleId::KaplanPower => "Kaplan et al. 2020, L(N) power law",
            ExampleId::ChinchillaSweep => "Chinchilla-style N × D sweep",
        }
    }

    /// One sentence: synthetic, generated from which law, with how much noise.
    pub fn description(self) -> &'static str {
        match self {
            ExampleId::Families => {
                "Synthetic. Family \"dense\": L = 1.69 + 406.4·N^−0.34 (the N-term of \
                Hoffmann et al. 2022, Approach 3); family \"wide\": a hypothetical \
                L = 1.75 + 520·N^−0.36. 1 % multiplicative Gaussian noise, seed 1."
            }
            ExampleId::KaplanPower => {
                "Synthetic. L = (N_c/N)^α_N with α_N = 0.076, N_c = 8.8e13 \
                (Kaplan et al. 2020, eq. 1.1). 0.5 % multiplicative Gaussian noise, seed 2."
            }
            ExampleId::ChinchillaSweep => {
                "Synthetic. L = 1.8172 + 482.01/N^0.3478 + 2085.43/D^0.3658 (Epoch AI \
                2024 replication of Hoffmann et al.), 6 sizes × 5 tokens-per-parameter \
                ratios, 1 % multiplicative Gaussian noise, seed 3."
            }
        }
    }

    /// Generates the dataset (deterministic).
    pub fn generate(self) -> Example {
        Example {
            id: self,
            csv: match self {
                ExampleId::Families => families(),
                ExampleId::KaplanPower => kaplan(),
                ExampleId::ChinchillaSweep => chinchilla(),
            },
        }
    }
}

/// `n` points log-spaced from `lo` to `hi` inclusive, rounded to 3 significant digits
/// (model sizes people actually train).
fn log_space(lo: f64, hi: f64, n: usize) -> impl Iterator<Item = f64> {
    let (l0, l1) = (lo.log10(), hi.log10());
    (0..n).map(move |i| {
        let v = 10f64.powf(l0 + (l1 - l0) * i as f64 / (n - 1) as f64);
        let scale = 10f64.powi(v.log10().floor() as i32 - 2);
        (v / scale).round() * scale
    })
}

/// Multiplicative Gaussian noise `exp(σ·z)`, seeded.
struct Noise {
    rng: Pcg64,
    sigma: f64,
}

impl Noise {
    fn new(seed: u64, sigma: f64) -> Noise {
        Noise {
            rng: Pcg64::seed_from_u64(seed),
            sigma,
        }
    }

    fn apply(&mut self, y: f64) -> f64 {
        // A standard normal by Box–Muller (rand_distr's ziggurat sampler would bring 4 KB of
        // tables into the page for the examples' noise alone).
        let u1: f64 = 1.0 - self.rng.random::<f64>();
        let u2: f64 = self.rng.random();
        let z = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        y * (self.sigma * z).exp()
    }
}

fn families() -> String {
    let mut noise = Noise::new(1, 0.01);
    let mut out = String::from("family,params,loss\n");
    for (family, e, a, alpha) in [("dense", 1.69, 406.4, 0.34), ("wide", 1.75, 520.0, 0.36)] {
        for n in log_space(1.0e7, 1.0e10, 8) {
            let loss = noise.apply(e + a * n.powf(-alpha));
            let _ = writeln!(out, "{family},{n},{loss:.4}");
        }
    }
    out
}

fn kaplan() -> String {
    let mut noise = Noise::new(2, 0.005);
    let mut out = String::from("params,loss\n");
    for n in log_space(1.0e6, 1.0e10, 10) {
        let loss = noise.apply((8.8e13 / n).powf(0.076));
        let _ = writeln!(out, "{n},{loss:.4}");
    }
    out
}

fn chinchilla() -> String {
    let mut noise = Noise::new(3, 0.01);
    let mut out = String::from("N,D,loss\n");
    for n in log_space(4.0e7, 1.6e10, 6) {
        for ratio in [5.0, 10.0, 20.0, 40.0, 80.0] {
            let d = (n * ratio).round();
            let loss = noise.apply(1.8172 + 482.01 * n.powf(-0.3478) + 2085.43 * d.powf(-0.3658));
            let _ = writeln!(out, "{n},{d},{loss:.4}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn examples_are_deterministic_and_shaped() {
        for id in ExampleId::ALL {
            let a = id.generate();
            assert_eq!(a, id.generate(), "{id:?} must not depend on entropy");
            assert_eq!(ExampleId::from_key(id.key()), Some(id));
        }
        let lines = |id: ExampleId| id.generate().csv.lines().count();
        assert_eq!(lines(ExampleId::Families), 1 + 16);
        assert_eq!(lines(ExampleId::KaplanPower), 1 + 10);
        assert_eq!(lines(ExampleId::ChinchillaSweep), 1 + 30);
    }

    #[test]
    fn log_space_hits_the_ends_with_three_digits() {
        let v: Vec<f64> = log_space(1.0e7, 1.0e10, 4).collect();
        assert_eq!(v, vec![1.0e7, 1.0e8, 1.0e9, 1.0e10]);
        let w: Vec<f64> = log_space(4.0e7, 1.6e10, 6).collect();
        assert_eq!(w[0], 4.0e7);
        assert!((w[5] - 1.6e10).abs() < 1.0);
    }

    #[test]
    fn noise_is_about_one_percent() {
        // The Kaplan example's residuals around the true law stay within 4σ = 2 %.
        for line in kaplan().lines().skip(1) {
            let mut it = line
                .split(',')
                .map(|s| s.parse::<f64>().unwrap_or(f64::NAN));
            let (n, loss) = (it.next().unwrap_or(f64::NAN), it.next().unwrap_or(f64::NAN));
            let truth = (8.8e13 / n).powf(0.076);
            assert!((loss / truth - 1.0).abs() < 0.02, "{line}");
        }
    }
}
