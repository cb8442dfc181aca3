//! IsoFLOP profiles (Hoffmann et al. 2022, Approach 2): runs grouped by compute budget, a
//! parabola of loss in ln N per budget and its minimum, then the compute-optimal model size
//! N*(C) = k_N·C^a and data D*(C) = k_D·C^b as power laws, with bootstrap intervals.
//!
//! Per budget: ordinary least squares of `loss = p₀ + p₁·u + p₂·u²`, `u = ln N` (closed
//! form, centred and scaled), minimum at `u* = −p₁/(2p₂)`, `N_opt = e^{u*}`,
//! `D_opt = C/(6·N_opt)`, `loss_opt` the parabola at `u*`. A budget is refused, with its
//! reason ([`Refusal`]), when it has fewer than three runs or model sizes, when the
//! parabola does not open upward, or when its minimum lies outside the sizes sampled.
//! Then `ln N_opt` and `ln D_opt` are each regressed on `ln C` (OLS); `b` is fitted on
//! its own (it equals `1 − a` up to rounding, since `ln D_opt = ln C − ln 6 − ln N_opt`).
//!
//! Intervals: percentile 95 % intervals of `a` and `b` over `B` resamples; resample `i`
//! redraws the runs of every accepted budget with replacement within that budget
//! ([`crate::bootstrap::resample_strata`]: a pure function of the seed and `i`) and runs
//! the whole protocol again. In a resample, a budget whose redrawn runs give no parabola
//! (fewer than three distinct sizes, not opening upward) is left out of that resample's
//! power laws (counted in [`Isoflop::dropped`]); the range check is not applied there (a
//! resample's minimum may move past the sampled sizes); a resample with fewer than two
//! budgets left fails.
//!
//! Warnings, where Approach 2 is known to be biased (Open-Athena's analysis, 2026), are
//! [`IsoflopWarning`]s: a grid reaching more than [`MAX_SPREAD`] (16×) from its minimum, a
//! minimum off the centre of its grid (in the outer quarter of the sampled ln N range, see
//! [`OFF_CENTRE`]), and exponents `a` and `b` that differ by more than
//! [`MAX_EXPONENT_GAP`] (0.1: the surface's α and β differ, so each profile is lopsided in
//! ln N and the parabola's minimum is pulled off the true one).
//!
//! ```
//! use scalescope_core::isoflop::{isoflop, IsoflopOptions, Run};
//!
//! // Three budgets, five sizes each, losses on parabolas with minima at N = 1e8, 2e8, 4e8.
//! let mut runs = Vec::new();
//! for (c, n_opt) in [(1e18, 1e8), (4e18, 2e8), (1.6e19, 4e8)] {
//!     for k in -2..=2 {
//!         let n = n_opt * 2f64.powi(k);
//!         let u = (n / n_opt).ln();
//!         runs.push(Run { c, n, loss: 3.0 + 0.1 * u * u });
//!     }
//! }
//! let out = isoflop(&runs, &IsoflopOptions::default())?;
//! assert_eq!(out.budgets.len(), 3);
//! assert!((out.budgets[0].n_opt / 1e8 - 1.0).abs() < 1e-9);
//! assert!((out.a - 0.5).abs() < 1e-9); // N* doubles when C quadruples
//! assert!((out.b - 0.5).abs() < 1e-9);
//! # Ok::<(), scalescope_core::isoflop::IsoflopError>(())
//! ```

mod fit;
mod table;

pub use table::{reader_warnings, runs_from_table};

use crate::bootstrap::{self, BootstrapError};
use crate::format::sig;
use fit::{line, parabola, Parabola};
use std::fmt;

/// A grid reaching further than this factor from its minimum (either way) gets a warning.
pub const MAX_SPREAD: f64 = 16.0;

/// A minimum closer than this fraction of the sampled ln N range to either end of the
/// grid is off-centre (the outer quarter on either side).
pub const OFF_CENTRE: f64 = 0.25;

/// Exponents `a` and `b` further apart than this get a warning.
pub const MAX_EXPONENT_GAP: f64 = 0.1;

/// The relative tolerance within which two runs' budgets are the same budget.
pub const BUDGET_TOLERANCE: f64 = 1e-6;

/// One training run: its compute budget, model size and final loss.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Run {
    /// Training compute C in FLOP.
    pub c: f64,
    /// Parameters N.
    pub n: f64,
    /// Final loss.
    pub loss: f64,
}

/// How to run the protocol.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IsoflopOptions {
    /// Bootstrap resamples (within [`bootstrap::RESAMPLES`]).
    pub resamples: usize,
    /// The bootstrap's seed.
    pub seed: u64,
    /// Runs whose budgets differ by at most this relative amount share a budget.
    pub tolerance: f64,
}

impl Default for IsoflopOptions {
    fn default() -> Self {
        IsoflopOptions {
            resamples: bootstrap::DEFAULT_RESAMPLES,
            seed: bootstrap::DEFAULT_SEED,
            tolerance: BUDGET_TOLERANCE,
        }
    }
}

/// One budget's compute-optimal point, read off its parabola.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BudgetOptimum {
    /// The budget in FLOP (the smallest C of its runs).
    pub c: f64,
    /// The parabola's minimum N.
    pub n_opt: f64,
    /// `C / (6·N_opt)`.
    pub d_opt: f64,
    /// The parabola's value at its minimum.
    pub loss_opt: f64,
    /// Runs in the budget.
    pub runs: usize,
    /// The smallest and largest N sampled.
    pub n_range: (f64, f64),
    /// The parabola in `u = ln N`: `(p₀, p₁, p₂)` of `p₀ + p₁·u + p₂·u²`.
    pub parabola: (f64, f64, f64),
}

/// Why a budget has no minimum.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Refusal {
    /// Fewer than three runs.
    TooFewRuns(usize),
    /// Fewer than three distinct model sizes.
    TooFewSizes(usize),
    /// The parabola does not open upward (no minimum), or is not finite.
    NoMinimum,
    /// The minimum is beyond the largest model sampled.
    AboveLargest {
        /// Where the parabola's minimum is.
        n_opt: f64,
    },
    /// The minimum is below the smallest model sampled.
    BelowSmallest {
        /// Where the parabola's minimum is.
        n_opt: f64,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::TooFewRuns(n) => write!(
                f,
                "{n} run{}; a parabola needs at least 3",
                if *n == 1 { "" } else { "s" }
            ),
            Refusal::TooFewSizes(n) => {
                write!(f, "{n} distinct model sizes; a parabola needs at least 3")
            }
            Refusal::NoMinimum => f.write_str(
                "the losses do not curve upward in ln N (the parabola has no minimum); \
                 sample sizes on both sides of the best one",
            ),
            Refusal::AboveLargest { n_opt } => write!(
                f,
                "the minimum (N = {}) is beyond the largest model sampled; add a larger one",
                sig(*n_opt, 3)
            ),
            Refusal::BelowSmallest { n_opt } => write!(
                f,
                "the minimum (N = {}) is below the smallest model sampled; add a smaller one",
                sig(*n_opt, 3)
            ),
        }
    }
}

/// A budget without a minimum, and why.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Refused {
    /// The budget in FLOP.
    pub c: f64,
    /// Runs in the budget.
    pub runs: usize,
    /// Why.
    pub reason: Refusal,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "budget {}: {}", sig(self.c, 3), self.reason)
    }
}

/// Where Approach 2 is known to be biased.
#[derive(Clone, Debug, PartialEq)]
pub enum IsoflopWarning {
    /// Grids reaching more than [`MAX_SPREAD`] from their minimum.
    WideGrid {
        /// The budgets, and how far each grid reaches from its minimum (a factor ≥ 1).
        budgets: Vec<(f64, f64)>,
    },
    /// Minima in the outer quarter of their grid's ln N range.
    OffCentre {
        /// The budgets, and where each minimum sits in its grid's ln N range (0 at the
        /// smallest size, 1 at the largest).
        budgets: Vec<(f64, f64)>,
    },
    /// `a` and `b` differ by more than [`MAX_EXPONENT_GAP`].
    Exponents {
        /// N*'s exponent.
        a: f64,
        /// D*'s exponent.
        b: f64,
    },
}

/// `1e19, 3e19` from a list of budgets.
fn budget_list(budgets: &[(f64, f64)]) -> String {
    let names: Vec<String> = budgets.iter().map(|(c, _)| sig(*c, 3)).collect();
    names.join(", ")
}

impl fmt::Display for IsoflopWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IsoflopWarning::WideGrid { budgets } => {
                let widest = budgets.iter().map(|b| b.1).fold(1.0, f64::max);
                write!(
                    f,
                    "budget{} {}: the model sizes reach up to {}× from the minimum; a parabola \
                     in ln N is biased on grids wider than about ±{MAX_SPREAD}× (Open-Athena \
                     2026): sample closer to the minimum",
                    if budgets.len() == 1 { "" } else { "s" },
                    budget_list(budgets),
                    sig(widest, 3)
                )
            }
            IsoflopWarning::OffCentre { budgets } => write!(
                f,
                "budget{} {}: the minimum lies in the outer quarter of the sizes sampled (off \
                 the grid's centre in ln N), where the parabola is least reliable: centre the \
                 grid on the minimum",
                if budgets.len() == 1 { "" } else { "s" },
                budget_list(budgets)
            ),
            IsoflopWarning::Exponents { a, b } => write!(
                f,
                "the exponents a = {} and b = {} differ by more than {MAX_EXPONENT_GAP}: the \
                 loss surface's exponents differ, each isoFLOP profile is lopsided in ln N and \
                 a parabola's minimum is biased (Open-Athena 2026); prefer a fit of the \
                 surface (chinchilla)",
                sig(*a, 3),
                sig(*b, 3)
            ),
        }
    }
}

/// What Approach 2 gives.
#[derive(Clone, Debug, PartialEq)]
pub struct Isoflop {
    /// The budgets with a minimum, by increasing C.
    pub budgets: Vec<BudgetOptimum>,
    /// The budgets without one, by increasing C.
    pub refused: Vec<Refused>,
    /// N*(C) = k_N·C^a: the exponent.
    pub a: f64,
    /// The coefficient k_N.
    pub k_n: f64,
    /// Percentile 95 % interval of `a` (NaN when fewer than two resamples succeeded).
    pub a_ci95: (f64, f64),
    /// D*(C) = k_D·C^b: the exponent.
    pub b: f64,
    /// The coefficient k_D.
    pub k_d: f64,
    /// Percentile 95 % interval of `b`.
    pub b_ci95: (f64, f64),
    /// Resamples drawn.
    pub resamples: usize,
    /// Resamples with fewer than two budgets left (out of the intervals).
    pub failed: usize,
    /// Budget fits left out of resamples because their redrawn runs gave no parabola.
    pub dropped: usize,
    /// The seed of the resamples.
    pub seed: u64,
    /// Where the protocol is known to be biased.
    pub warnings: Vec<IsoflopWarning>,
}

/// Why there is no isoFLOP answer.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum IsoflopError {
    /// A run whose budget or size is not a positive number, or whose loss is not finite.
    #[error("run {index}: C = {c}, N = {n}, loss = {loss}: C and N must be positive and the loss finite")]
    BadRun {
        /// 0-based position among the runs given.
        index: usize,
        /// Its budget.
        c: f64,
        /// Its size.
        n: f64,
        /// Its loss.
        loss: f64,
    },
    /// Fewer than two budgets have a minimum: no power law.
    #[error("{usable} budget{} with a minimum; N*(C) needs at least 2{}", if *usable == 1 { "" } else { "s" }, refusals(refused))]
    TooFewBudgets {
        /// Budgets with a minimum.
        usable: usize,
        /// The others and why.
        refused: Vec<Refused>,
    },
    /// The table does not give two of N, D and C.
    #[error("isoFLOP profiles need two of a model-size (N), a tokens (D) and a compute (C, flops, budget) column; {0}")]
    Columns(String),
    /// The bootstrap could not run.
    #[error(transparent)]
    Bootstrap(#[from] BootstrapError),
}

/// The first three refusals, and how many more.
fn refusals(refused: &[Refused]) -> String {
    let shown: Vec<String> = refused.iter().take(3).map(ToString::to_string).collect();
    let more = match refused.len().saturating_sub(3) {
        0 => String::new(),
        k => format!("; {k} more refused"),
    };
    if shown.is_empty() {
        String::new()
    } else {
        format!(" ({}{more})", shown.join("; "))
    }
}

/// Approach 2 on `runs` with `options` (see the module docs).
///
/// # Errors
/// [`IsoflopError::BadRun`] for a run that is not positive and finite,
/// [`IsoflopError::TooFewBudgets`] when fewer than two budgets have a minimum,
/// [`IsoflopError::Bootstrap`] for a number of resamples outside 100–10 000.
pub fn isoflop(runs: &[Run], options: &IsoflopOptions) -> Result<Isoflop, IsoflopError> {
    let resamples = bootstrap::check_resamples(options.resamples)?;
    for (index, r) in runs.iter().enumerate() {
        if !(r.c.is_finite() && r.c > 0.0 && r.n.is_finite() && r.n > 0.0 && r.loss.is_finite()) {
            return Err(IsoflopError::BadRun {
                index,
                c: r.c,
                n: r.n,
                loss: r.loss,
            });
        }
    }
    let groups = group_by_budget(runs, options.tolerance);
    let mut budgets = Vec::new();
    let mut accepted: Vec<&[Run]> = Vec::new();
    let mut refused = Vec::new();
    for g in &groups {
        match optimum(g) {
            Ok(b) => {
                budgets.push(b);
                accepted.push(g);
            }
            Err(reason) => refused.push(Refused {
                c: g[0].c,
                runs: g.len(),
                reason,
            }),
        }
    }
    let Some((a, k_n, b, k_d)) = power_laws(&budgets) else {
        return Err(IsoflopError::TooFewBudgets {
            usable: budgets.len(),
            refused,
        });
    };
    let boot = resample(&accepted, options.seed, resamples);
    let mut out = Isoflop {
        a_ci95: bootstrap::percentile95(boot.a),
        b_ci95: bootstrap::percentile95(boot.b),
        budgets,
        refused,
        a,
        k_n,
        b,
        k_d,
        resamples,
        failed: boot.failed,
        dropped: boot.dropped,
        seed: options.seed,
        warnings: Vec::new(),
    };
    out.warnings = warnings(&out);
    Ok(out)
}

/// The runs sorted by C and split where C grows by more than `tolerance` (relative) over
/// the first budget of the group.
fn group_by_budget(runs: &[Run], tolerance: f64) -> Vec<Vec<Run>> {
    let mut sorted = runs.to_vec();
    crate::sort::sort_by(&mut sorted, |x, y| {
        x.c.total_cmp(&y.c).then(x.n.total_cmp(&y.n))
    });
    let mut groups: Vec<Vec<Run>> = Vec::new();
    for r in sorted {
        match groups.last_mut() {
            Some(g) if r.c <= g[0].c * (1.0 + tolerance) => g.push(r),
            _ => groups.push(vec![r]),
        }
    }
    groups
}

/// The parabola of one budget's runs, or why it has no usable minimum (with the range
/// check).
fn optimum(runs: &[Run]) -> Result<BudgetOptimum, Refusal> {
    let p = fit_parabola(runs)?;
    let (lo, hi) = p.u_range;
    let n_opt = p.u_min.exp();
    if p.u_min > hi {
        return Err(Refusal::AboveLargest { n_opt });
    }
    if p.u_min < lo {
        return Err(Refusal::BelowSmallest { n_opt });
    }
    let c = runs[0].c;
    Ok(BudgetOptimum {
        c,
        n_opt,
        d_opt: c / (6.0 * n_opt),
        loss_opt: p.value(p.u_min),
        runs: runs.len(),
        n_range: (lo.exp(), hi.exp()),
        parabola: p.coefficients(),
    })
}

/// The parabola of loss in ln N over `runs`, refused without three runs, three sizes or
/// a minimum.
fn fit_parabola(runs: &[Run]) -> Result<Parabola, Refusal> {
    if runs.len() < 3 {
        return Err(Refusal::TooFewRuns(runs.len()));
    }
    let u: Vec<f64> = runs.iter().map(|r| r.n.ln()).collect();
    let y: Vec<f64> = runs.iter().map(|r| r.loss).collect();
    let mut distinct = u.clone();
    crate::sort::sort_by(&mut distinct, f64::total_cmp);
    distinct.dedup();
    if distinct.len() < 3 {
        return Err(Refusal::TooFewSizes(distinct.len()));
    }
    parabola(&u, &y).ok_or(Refusal::NoMinimum)
}

/// `(a, k_N, b, k_D)`: OLS of ln N_opt and of ln D_opt on ln C; `None` with fewer than
/// two budgets.
fn power_laws(budgets: &[BudgetOptimum]) -> Option<(f64, f64, f64, f64)> {
    if budgets.len() < 2 {
        return None;
    }
    let lc: Vec<f64> = budgets.iter().map(|b| b.c.ln()).collect();
    let ln_n: Vec<f64> = budgets.iter().map(|b| b.n_opt.ln()).collect();
    let ln_d: Vec<f64> = budgets.iter().map(|b| b.d_opt.ln()).collect();
    let (a, ln_kn) = line(&lc, &ln_n)?;
    let (b, ln_kd) = line(&lc, &ln_d)?;
    Some((a, ln_kn.exp(), b, ln_kd.exp()))
}

/// The exponents of every resample that kept two budgets.
struct Resampled {
    a: Vec<f64>,
    b: Vec<f64>,
    failed: usize,
    dropped: usize,
}

fn resample(accepted: &[&[Run]], seed: u64, resamples: usize) -> Resampled {
    let sizes: Vec<usize> = accepted.iter().map(|g| g.len()).collect();
    let mut out = Resampled {
        a: Vec::with_capacity(resamples),
        b: Vec::with_capacity(resamples),
        failed: 0,
        dropped: 0,
    };
    for i in 0..resamples as u64 {
        let draws = bootstrap::resample_strata(&sizes, seed, i);
        let mut budgets = Vec::with_capacity(accepted.len());
        for (g, rows) in accepted.iter().zip(&draws) {
            let redrawn: Vec<Run> = rows.iter().filter_map(|&r| g.get(r).copied()).collect();
            match fit_parabola(&redrawn) {
                Ok(p) => {
                    let (c, n_opt) = (g[0].c, p.u_min.exp());
                    budgets.push(BudgetOptimum {
                        c,
                        n_opt,
                        d_opt: c / (6.0 * n_opt),
                        loss_opt: p.value(p.u_min),
                        runs: redrawn.len(),
                        n_range: (p.u_range.0.exp(), p.u_range.1.exp()),
                        parabola: p.coefficients(),
                    });
                }
                Err(_) => out.dropped += 1,
            }
        }
        match power_laws(&budgets) {
            Some((a, _, b, _)) if a.is_finite() && b.is_finite() => {
                out.a.push(a);
                out.b.push(b);
            }
            _ => out.failed += 1,
        }
    }
    out
}

/// The warnings of a finished profile.
fn warnings(out: &Isoflop) -> Vec<IsoflopWarning> {
    let mut warnings = Vec::new();
    let mut wide = Vec::new();
    let mut off = Vec::new();
    for b in &out.budgets {
        let (lo, hi) = b.n_range;
        let reach = (b.n_opt / lo).max(hi / b.n_opt);
        if reach > MAX_SPREAD {
            wide.push((b.c, reach));
        }
        let span = (hi / lo).ln();
        let t = (b.n_opt / lo).ln() / span;
        if span > 0.0 && !(OFF_CENTRE..=1.0 - OFF_CENTRE).contains(&t) {
            off.push((b.c, t));
        }
    }
    if !wide.is_empty() {
        warnings.push(IsoflopWarning::WideGrid { budgets: wide });
    }
    if !off.is_empty() {
        warnings.push(IsoflopWarning::OffCentre { budgets: off });
    }
    if (out.a - out.b).abs() > MAX_EXPONENT_GAP {
        warnings.push(IsoflopWarning::Exponents { a: out.a, b: out.b });
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs on an exact parabola with its minimum at `n_opt`, at sizes `n_opt·2^k`.
    fn budget(c: f64, n_opt: f64, ks: &[i32]) -> Vec<Run> {
        ks.iter()
            .map(|&k| {
                let n = n_opt * 2f64.powi(k);
                let u = (n / n_opt).ln();
                Run {
                    c,
                    n,
                    loss: 2.5 + 0.05 * u * u,
                }
            })
            .collect()
    }

    #[test]
    fn budgets_are_refused_with_their_reason() {
        let mut runs = budget(1e18, 1e8, &[-2, -1, 0, 1, 2]);
        runs.extend(budget(1e19, 3e8, &[-1, 0, 1]));
        runs.extend(budget(1e20, 1e9, &[-6, -5, -4, -3])); // minimum above the grid
        runs.extend(budget(1e21, 3e9, &[2, 3, 4])); // minimum below the grid
        runs.extend(budget(1e22, 9e9, &[0, 1])); // two runs
        let out = isoflop(&runs, &IsoflopOptions::default()).expect("two budgets");
        assert_eq!(out.budgets.len(), 2);
        let reasons: Vec<String> = out.refused.iter().map(ToString::to_string).collect();
        assert_eq!(out.refused.len(), 3, "{reasons:?}");
        assert!(
            matches!(out.refused[0].reason, Refusal::AboveLargest { n_opt } if (n_opt / 1e9 - 1.0).abs() < 1e-9)
        );
        assert!(reasons[0].starts_with("budget 1.0e20: the minimum (N = 1.0e9) is beyond the largest model sampled; add a larger one"), "{}", reasons[0]);
        assert!(matches!(
            out.refused[1].reason,
            Refusal::BelowSmallest { .. }
        ));
        assert_eq!(out.refused[2].reason, Refusal::TooFewRuns(2));
    }

    #[test]
    fn a_parabola_opening_downward_has_no_minimum() {
        let mut runs = budget(1e18, 1e8, &[-1, 0, 1]);
        runs.extend(budget(1e19, 3e8, &[-1, 0, 1]));
        let mut hill = budget(1e20, 1e9, &[-1, 0, 1]);
        for r in &mut hill {
            r.loss = 5.0 - r.loss;
        }
        runs.extend(hill);
        runs.extend(
            [Run {
                c: 1e21,
                n: 1e9,
                loss: 2.0,
            }; 3],
        );
        let out = isoflop(&runs, &IsoflopOptions::default()).expect("two budgets");
        assert_eq!(out.refused[0].reason, Refusal::NoMinimum);
        assert_eq!(out.refused[1].reason, Refusal::TooFewSizes(1));
    }

    #[test]
    fn one_budget_is_not_a_power_law() {
        let runs = budget(1e18, 1e8, &[-1, 0, 1]);
        let e = isoflop(&runs, &IsoflopOptions::default()).expect_err("one budget");
        assert!(
            matches!(e, IsoflopError::TooFewBudgets { usable: 1, .. }),
            "{e}"
        );
        let bad = [Run {
            c: -1.0,
            n: 1.0,
            loss: 1.0,
        }];
        assert!(matches!(
            isoflop(&bad, &IsoflopOptions::default()),
            Err(IsoflopError::BadRun { index: 0, .. })
        ));
    }

    #[test]
    fn budgets_within_the_tolerance_are_one() {
        let mut runs = budget(1e18, 1e8, &[-1, 0, 1]);
        runs[1].c *= 1.0 + 1e-9;
        runs.extend(budget(1e19, 3e8, &[-1, 0, 1]));
        let out = isoflop(&runs, &IsoflopOptions::default()).expect("two budgets");
        assert_eq!(out.budgets.len(), 2);
        assert_eq!(out.budgets[0].runs, 3);
    }
}
