//! From refits to answers: standard errors, percentile intervals of the parameters, the
//! band, the input a target needs and the compute-optimal split.

use super::BootstrapError;
use crate::chinchilla::{Allocation, AllocationCi};
use crate::presets::Model;
use crate::{Fit, InvertError};
use nalgebra::DMatrix;

/// What to read off every refit besides the parameters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Targets {
    /// Inputs `(x, d)` at which to give the band of the fitted curve (`d` for a law of N
    /// and D).
    pub band_at: Vec<(f64, Option<f64>)>,
    /// A target loss: the input it needs (one-input law), or the least compute that reaches
    /// it and its N and D (law of N and D).
    pub target: Option<f64>,
    /// A compute budget in FLOP: the compute-optimal N*, D* and loss (law of N and D).
    pub compute: Option<f64>,
}

/// The interval of what reaching a target takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reach {
    /// A one-input law's input.
    Input((f64, f64)),
    /// Along a law of N and D's frontier: the least compute and its split.
    Allocation(AllocationCi),
}

/// What reaching a target loss takes, as a bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RequiredCi {
    /// The target loss.
    pub target: f64,
    /// The intervals. A refit whose law never reaches the target counts as needing an
    /// infinite input, so when more than 2.5 % of refits never reach it the upper bounds
    /// are `+∞`: the target may never be reached at this confidence.
    pub reach: Reach,
    /// Refits whose law never reaches the target.
    pub unreachable: usize,
}

impl RequiredCi {
    /// Whether the upper bound is infinite ("may never be reached at this confidence").
    pub fn unbounded(&self) -> bool {
        match self.reach {
            Reach::Input((_, hi)) => hi == f64::INFINITY,
            Reach::Allocation(a) => a.compute.1 == f64::INFINITY,
        }
    }
}

/// A bootstrap's answers for one fit.
#[derive(Clone, Debug, PartialEq)]
pub struct Bootstrap {
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples that could not be refitted (left out of every interval).
    pub failed: usize,
    /// Per parameter ([`crate::Form::param_names`] order): the sample standard deviation
    /// of the refits (0 for a pinned parameter).
    pub se: Vec<f64>,
    /// Per parameter: the percentile 95 % interval (2.5th and 97.5th percentiles).
    pub ci95: Vec<(f64, f64)>,
    /// The sample covariance (n − 1) of the refits' parameters in the optimiser's
    /// coordinates: the logarithm of each parameter the law requires positive, the value of
    /// the others ([`crate::Form::param_names`] order; zero rows and columns for pinned
    /// parameters). What [`crate::against::against`] tests with when a bootstrap ran.
    pub covariance: DMatrix<f64>,
    /// The band of the fitted curve at each of [`Targets::band_at`]: `(x, d, (lo, hi))`.
    pub band95: Vec<(f64, Option<f64>, (f64, f64))>,
    /// The target's interval, when a target was asked and the law can be inverted.
    pub required: Option<Result<RequiredCi, InvertError>>,
    /// The compute-optimal split's interval, when a budget was asked of a law of N and D.
    pub optimal: Option<Result<AllocationCi, InvertError>>,
}

/// The bootstrap's standard errors and percentile intervals from `samples` (the refits
/// of [`super::run_chunk`], `None` for a failed one) of `full`, with `targets` read off
/// every refit.
///
/// # Errors
/// [`BootstrapError::TooFewRefits`] when fewer than two resamples were refitted.
pub fn summarise(
    full: &Fit,
    samples: &[Option<Vec<f64>>],
    targets: &Targets,
) -> Result<Bootstrap, BootstrapError> {
    let k = full.params.len();
    let ok: Vec<&[f64]> = samples
        .iter()
        .flatten()
        .filter(|p| p.len() == k)
        .map(Vec::as_slice)
        .collect();
    if ok.len() < 2 {
        return Err(BootstrapError::TooFewRefits {
            succeeded: ok.len(),
            resamples: samples.len(),
        });
    }
    let column = |j: usize| ok.iter().map(|p| p[j]).collect::<Vec<f64>>();
    let mut se = Vec::with_capacity(k);
    let mut ci95 = Vec::with_capacity(k);
    for j in 0..k {
        if full.pinned.get(j).copied().unwrap_or(false) {
            se.push(0.0);
            ci95.push((full.params[j], full.params[j]));
            continue;
        }
        let v = column(j);
        se.push(std_dev(&v));
        ci95.push(percentile95(v));
    }
    let positive: Vec<bool> = full
        .form
        .law()
        .params()
        .iter()
        .map(|p| p.positive)
        .collect();
    let working: Vec<Vec<f64>> = ok
        .iter()
        .map(|p| {
            p.iter()
                .enumerate()
                .map(|(j, &v)| {
                    if positive.get(j) == Some(&true) {
                        v.ln()
                    } else {
                        v
                    }
                })
                .collect()
        })
        .collect();
    let working: Vec<&[f64]> = working.iter().map(Vec::as_slice).collect();
    let covariance = covariance(&working, &full.pinned);
    let form = full.form;
    let band95 = targets
        .band_at
        .iter()
        .map(|&(x, d)| {
            let v = ok.iter().map(|p| form.eval(p, x, d)).collect();
            (x, d, percentile95(v))
        })
        .collect();
    let models: Vec<Model> = ok.iter().map(|p| Model::of(form, p.to_vec())).collect();
    let frontier = Model::fitted(full).has_frontier();
    let required = targets
        .target
        .map(|t| required(&models, frontier, t, Model::fitted(full)));
    let optimal = targets
        .compute
        .filter(|_| frontier)
        .map(|c| optimal(&models, c));
    Ok(Bootstrap {
        resamples: samples.len(),
        failed: samples.len() - ok.len(),
        se,
        ci95,
        covariance,
        band95,
        required,
        optimal,
    })
}

fn required(
    models: &[Model],
    frontier: bool,
    target: f64,
    full: Model,
) -> Result<RequiredCi, InvertError> {
    // An error the full fit also has (a law that cannot be inverted, a bad target) is the
    // answer; a refit that cannot reach the target counts as needing ∞.
    let probe = if frontier {
        full.compute_for_loss(target).map(|_| ())
    } else {
        full.required(target).map(|_| ())
    };
    if let Err(e) = probe {
        if !matches!(e, InvertError::Unreachable { .. }) {
            return Err(e);
        }
    }
    let mut unreachable = 0;
    let reach = if frontier {
        let mut all = Vec::with_capacity(models.len());
        for m in models {
            match m.compute_for_loss(target) {
                Ok(a) => all.push(a),
                Err(InvertError::Unreachable { .. }) => {
                    unreachable += 1;
                    all.push(Allocation {
                        compute: f64::INFINITY,
                        n: f64::INFINITY,
                        d: f64::INFINITY,
                        loss: target,
                        tokens_per_param: f64::NAN,
                    });
                }
                Err(_) => {}
            }
        }
        Reach::Allocation(allocation_ci(&all))
    } else {
        let mut x = Vec::with_capacity(models.len());
        for m in models {
            match m.required(target) {
                Ok(r) => x.push(r.x),
                Err(InvertError::Unreachable { .. }) => {
                    unreachable += 1;
                    x.push(f64::INFINITY);
                }
                Err(_) => {}
            }
        }
        Reach::Input(percentile95(x))
    };
    Ok(RequiredCi {
        target,
        reach,
        unreachable,
    })
}

fn optimal(models: &[Model], compute: f64) -> Result<AllocationCi, InvertError> {
    let mut all = Vec::with_capacity(models.len());
    let mut first_error = None;
    for m in models {
        match m.optimal_allocation(compute) {
            Ok(a) => all.push(a),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) if all.len() < 2 => Err(e),
        _ => Ok(allocation_ci(&all)),
    }
}

fn allocation_ci(all: &[Allocation]) -> AllocationCi {
    let of = |f: fn(&Allocation) -> f64| percentile95(all.iter().map(f).collect());
    AllocationCi {
        compute: of(|a| a.compute),
        n: of(|a| a.n),
        d: of(|a| a.d),
        loss: of(|a| a.loss),
        tokens_per_param: of(|a| a.tokens_per_param),
    }
}

/// The sample covariance (n − 1) of the refits' parameters (at least two), pinned
/// parameters' rows and columns zero.
fn covariance(ok: &[&[f64]], pinned: &[bool]) -> DMatrix<f64> {
    let k = ok.first().map_or(0, |p| p.len());
    let n = ok.len() as f64;
    let mean: Vec<f64> = (0..k)
        .map(|j| ok.iter().map(|p| p[j]).sum::<f64>() / n)
        .collect();
    let free = |j: usize| !pinned.get(j).copied().unwrap_or(false);
    DMatrix::from_fn(k, k, |a, b| {
        if !(free(a) && free(b)) {
            return 0.0;
        }
        ok.iter()
            .map(|p| (p[a] - mean[a]) * (p[b] - mean[b]))
            .sum::<f64>()
            / (n - 1.0)
    })
}

/// Sample standard deviation (n − 1) of the finite values; NaN with fewer than two.
fn std_dev(v: &[f64]) -> f64 {
    let finite: Vec<f64> = v.iter().copied().filter(|x| x.is_finite()).collect();
    let n = finite.len();
    if n < 2 {
        return f64::NAN;
    }
    let mean = finite.iter().sum::<f64>() / n as f64;
    let ss: f64 = finite.iter().map(|x| (x - mean) * (x - mean)).sum();
    (ss / (n - 1) as f64).sqrt()
}

/// The 2.5th and 97.5th percentiles of `v` (NaN left out, ±∞ kept), interpolated
/// linearly between order statistics as numpy's default does; `(NaN, NaN)` when empty.
pub(crate) fn percentile95(mut v: Vec<f64>) -> (f64, f64) {
    v.retain(|x| !x.is_nan());
    crate::sort::sort_by(&mut v, f64::total_cmp);
    (quantile(&v, 0.025), quantile(&v, 0.975))
}

/// The `q` quantile of sorted `v` (numpy's "linear").
fn quantile(v: &[f64], q: f64) -> f64 {
    let Some(last) = v.len().checked_sub(1) else {
        return f64::NAN;
    };
    let h = q * last as f64;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(last);
    let frac = h - lo as f64;
    let (a, b) = (v[lo], v[hi]);
    if frac == 0.0 || a == b {
        a
    } else {
        a + frac * (b - a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy_linear() {
        // numpy.percentile(range(1, 11), [2.5, 97.5]) = [1.225, 9.775].
        let v: Vec<f64> = (1..=10).map(f64::from).collect();
        let (lo, hi) = percentile95(v);
        assert!(
            (lo - 1.225).abs() < 1e-12 && (hi - 9.775).abs() < 1e-12,
            "{lo} {hi}"
        );
        let (lo, hi) = percentile95(vec![f64::NAN]);
        assert!(lo.is_nan() && hi.is_nan());
    }

    #[test]
    fn infinite_values_make_the_upper_bound_infinite() {
        let mut v: Vec<f64> = (1..=97).map(f64::from).collect();
        v.extend([f64::INFINITY; 3]);
        let (lo, hi) = percentile95(v);
        assert!((lo - 3.475).abs() < 1e-12, "{lo}");
        assert_eq!(hi, f64::INFINITY);
    }

    #[test]
    fn covariance_is_the_sample_one() {
        // numpy.cov([[1, 2, 4], [2, 1, 0]]) = [[2.3333, -1.5], [-1.5, 1]].
        let rows: [&[f64]; 3] = [&[1.0, 2.0], &[2.0, 1.0], &[4.0, 0.0]];
        let c = covariance(&rows, &[false, false]);
        assert!((c[(0, 0)] - 7.0 / 3.0).abs() < 1e-12 && (c[(1, 1)] - 1.0).abs() < 1e-12);
        assert!((c[(0, 1)] + 1.5).abs() < 1e-12 && (c[(1, 0)] + 1.5).abs() < 1e-12);
        let pinned = covariance(&rows, &[false, true]);
        assert_eq!((pinned[(1, 1)], pinned[(0, 1)]), (0.0, 0.0));
    }

    #[test]
    fn std_dev_is_the_sample_one() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, Σ(x − 5)² = 32, s = √(32/7).
        let s = std_dev(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert!((s - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
    }
}
