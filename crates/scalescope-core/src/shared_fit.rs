//! Shared parameters across groups (issue 14, section 2): fit several groups jointly with
//! some parameters taking one value for every group (one `alpha` for every model family,
//! its own `E` and `A` per family), and test that constraint against the separate fits.
//!
//! The joint fit stacks the groups' residuals over one parameter vector: each shared
//! parameter once, then every group's other free parameters. Its residuals and Jacobian
//! come from each group's [`FormModel`] (the law's own gradient), rows weighted by `√w`
//! with each group's weights scaled to mean 1 as its separate fit scales them, so the joint
//! objective is the sum of the groups' own objectives. Levenberg–Marquardt
//! ([`crate::solve::least_squares`]) minimises it, parameters the law marks positive
//! through their logarithm, from the separate fits: the shared parameters start at the
//! inverse-variance weighted mean of the separate estimates, then at each group's own
//! estimate; the lowest sum of squares wins.
//!
//! The test is the extra-sum-of-squares F test of nested least-squares models:
//! `F = ((RSS_joint − RSS_separate)/q) / (RSS_separate/(n − p_separate))` with
//! `q = (groups − 1)·|shared|` constraints, `n` the points with positive weight and
//! `p_separate` the free parameters of all separate fits; `p = P(F(q, n − p_separate) > F)`.
//! It holds for least-squares objectives (`ls`, `ls-log`) with Gaussian residuals of one
//! scale in every group. Huber and `asym-log` fits are refused
//! ([`SharedError::NotLeastSquares`]): their objective is not a sum of squares, so the
//! statistic has no F distribution; refit with `ls-log` (or `ls`) to test.
//!
//! ```
//! use scalescope_core::shared_fit::{fit_shared, SharedGroup};
//! use scalescope_core::{fit, FitOptions, Form, Objective, Points};
//!
//! // Two families with one exponent (0.3), their own E and A, and a little scatter.
//! let x: Vec<f64> = (0..10).map(|k| 1e17 * 3f64.powi(k)).collect();
//! let family = |e: f64, a: f64, wiggle: f64| -> Points {
//!     let y = x.iter().enumerate()
//!         .map(|(k, c)| (e + a * c.powf(-0.3)) * (1.0 + wiggle * ((k * 7 % 5) as f64 - 2.0)))
//!         .collect();
//!     Points::new(x.clone(), y)
//! };
//! let (p1, p2) = (family(1.7, 3.0e5, 0.004), family(2.0, 6.0e5, -0.003));
//! let options = FitOptions::new(Form::Saturating).with_objective(Objective::LsLog);
//! let (f1, f2) = (fit(&p1, &options)?, fit(&p2, &options)?);
//! let groups = [
//!     SharedGroup { name: Some("a"), points: &p1, fit: &f1 },
//!     SharedGroup { name: Some("b"), points: &p2, fit: &f2 },
//! ];
//! let shared = fit_shared(&groups, &["alpha"])?;
//! assert_eq!(shared.dof, (1, 20 - 6));
//! assert!((shared.values[0] - 0.3).abs() < 0.02);
//! assert!(shared.rss_joint >= shared.rss_separate);
//! assert!(shared.p > 0.05, "{}", shared.summary());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::analysis::Analysis;
use crate::fit::{with_unit_mean_weights, FormModel};
use crate::solve::{least_squares, sse, LogParams, LsOptions, ResidualModel};
use crate::{stats, Fit, Form, Objective, Points, Termination};
use nalgebra::DMatrix;
use statrs::distribution::{ContinuousCDF, FisherSnedecor};

/// One group of a shared fit: its points and its separate fit (whose law, objective and
/// pinned parameters the joint fit takes).
#[derive(Clone, Copy, Debug)]
pub struct SharedGroup<'a> {
    /// The group's name, `None` without a group column.
    pub name: Option<&'a str>,
    /// The points the separate fit used.
    pub points: &'a Points,
    /// The separate fit.
    pub fit: &'a Fit,
}

/// The joint fit with shared parameters and its F test against the separate fits.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedFit {
    /// The law.
    pub form: Form,
    /// The objective (`ls` or `ls-log`).
    pub objective: Objective,
    /// The shared parameters' names, in the law's order.
    pub names: Vec<&'static str>,
    /// Their joint estimates.
    pub values: Vec<f64>,
    /// Their standard errors from the joint fit, `σ²(JᵀJ)⁻¹` with `σ² = RSS_joint/(n − p_joint)`
    /// (NaN when not estimable).
    pub stderr: Vec<f64>,
    /// The groups' names, in the order given.
    pub groups: Vec<Option<String>>,
    /// Each group's parameters in the joint fit (the law's order; shared ones equal across
    /// groups).
    pub params: Vec<Vec<f64>>,
    /// Sum of squares of the joint fit (fit space, weighted).
    pub rss_joint: f64,
    /// Sum of the separate fits' sums of squares.
    pub rss_separate: f64,
    /// Points with positive weight, over all groups.
    pub n: usize,
    /// The F statistic (0 when the joint fit is no worse than the separate ones).
    pub statistic: f64,
    /// Its degrees of freedom `(q, n − p_separate)`.
    pub dof: (usize, usize),
    /// `P(F > statistic)` under the hypothesis that the parameters are shared.
    pub p: f64,
    /// How the joint optimisation stopped.
    pub termination: Termination,
}

/// Why no shared fit was made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SharedError {
    /// No parameter was named.
    #[error("name at least one parameter to share, e.g. --share alpha")]
    NoParams,
    /// Fewer than two groups were fitted.
    #[error("sharing a parameter needs at least two fitted groups; {fitted} fitted (add a group column, e.g. --group family)")]
    TooFewGroups {
        /// How many groups had a fit.
        fitted: usize,
    },
    /// A name the law does not have.
    #[error("the {form} law has no parameter '{name}' to share (its parameters: {})", form.param_names().join(", "))]
    UnknownParam {
        /// The name given.
        name: String,
        /// The law.
        form: Form,
    },
    /// A shared parameter is held at a value in the fits.
    #[error("{name} is fixed, so there is nothing to share; share a fitted parameter")]
    Pinned {
        /// The parameter.
        name: String,
    },
    /// The objective is not least squares.
    #[error("the F test of shared parameters needs a least-squares objective (ls or ls-log), not {objective}; refit with --objective ls-log")]
    NotLeastSquares {
        /// The fits' objective.
        objective: Objective,
    },
    /// The groups were fitted with different laws, objectives or pins.
    #[error("group {group} was fitted differently from the first group (law, objective or fixed parameters); a shared fit needs one law")]
    Mismatch {
        /// The 1-based position of the group that differs.
        group: usize,
    },
    /// As many free parameters as points: no residual scale to test against.
    #[error("{n} points and {params} free parameters in the separate fits leave no degrees of freedom for the test")]
    NoDof {
        /// Points with positive weight.
        n: usize,
        /// Free parameters of the separate fits.
        params: usize,
    },
    /// The joint fit found no finite sum of squares.
    #[error("the joint fit did not reach a finite sum of squares ({termination})")]
    Failed {
        /// How the optimiser stopped.
        termination: Termination,
    },
}

/// Where a law parameter of one group comes from in the joint vector.
#[derive(Clone, Copy, Debug)]
enum Slot {
    /// Position in the joint parameter vector.
    Joint(usize),
    /// Held at a value (pinned in the fits).
    Held(f64),
}

/// The groups' residuals stacked over one parameter vector.
struct Joint<'a> {
    models: Vec<FormModel<'a>>,
    sqrt_w: Vec<Option<Vec<f64>>>,
    slots: Vec<Vec<Slot>>,
    offsets: Vec<usize>,
    n_params: usize,
    n_residuals: usize,
}

impl Joint<'_> {
    /// Group `g`'s law parameters from the joint vector.
    fn group_params(&self, g: usize, theta: &[f64]) -> Vec<f64> {
        self.slots[g]
            .iter()
            .map(|s| match s {
                Slot::Joint(j) => theta[*j],
                Slot::Held(v) => *v,
            })
            .collect()
    }
}

impl ResidualModel for Joint<'_> {
    fn n_params(&self) -> usize {
        self.n_params
    }
    fn n_residuals(&self) -> usize {
        self.n_residuals
    }
    fn residuals(&self, theta: &[f64], r: &mut [f64]) {
        for (g, model) in self.models.iter().enumerate() {
            let (off, m) = (self.offsets[g], model.n_residuals());
            let rg = &mut r[off..off + m];
            model.residuals(&self.group_params(g, theta), rg);
            if let Some(s) = &self.sqrt_w[g] {
                rg.iter_mut().zip(s).for_each(|(v, s)| *v *= s);
            }
        }
    }
    fn jacobian(&self, theta: &[f64], j: &mut DMatrix<f64>) {
        j.fill(0.0);
        for (g, model) in self.models.iter().enumerate() {
            let (off, m) = (self.offsets[g], model.n_residuals());
            let mut jg = DMatrix::zeros(m, model.n_params());
            model.jacobian(&self.group_params(g, theta), &mut jg);
            for (k, slot) in self.slots[g].iter().enumerate() {
                let Slot::Joint(c) = slot else { continue };
                for i in 0..m {
                    let s = self.sqrt_w[g].as_ref().map_or(1.0, |w| w[i]);
                    j[(off + i, *c)] = jg[(i, k)] * s;
                }
            }
        }
    }
}

/// Fits `groups` jointly with the parameters named in `shared` common to all of them, and
/// tests that against their separate fits.
///
/// # Errors
/// A [`SharedError`]: no parameter or fewer than two groups, a name the law does not have
/// or that is fixed, an objective that is not least squares, groups fitted differently,
/// no degrees of freedom left, or a joint fit without a finite sum of squares.
pub fn fit_shared(groups: &[SharedGroup], shared: &[&str]) -> Result<SharedFit, SharedError> {
    let Some(first) = groups.first().map(|g| g.fit) else {
        return Err(SharedError::TooFewGroups { fitted: 0 });
    };
    if groups.len() < 2 {
        return Err(SharedError::TooFewGroups {
            fitted: groups.len(),
        });
    }
    if shared.is_empty() {
        return Err(SharedError::NoParams);
    }
    let (form, objective) = (first.form, first.objective);
    if objective.needs_polish() {
        return Err(SharedError::NotLeastSquares { objective });
    }
    for (i, g) in groups.iter().enumerate() {
        let f = g.fit;
        if f.form != form || f.objective != objective || f.pinned != first.pinned {
            return Err(SharedError::Mismatch { group: i + 1 });
        }
    }
    let law = form.law();
    let names = form.param_names();
    let mut is_shared = vec![false; names.len()];
    for name in shared {
        let name = name.trim();
        let Some(k) = names.iter().position(|n| *n == name) else {
            return Err(SharedError::UnknownParam {
                name: name.to_string(),
                form,
            });
        };
        if first.pinned.get(k).copied().unwrap_or(false) {
            return Err(SharedError::Pinned {
                name: name.to_string(),
            });
        }
        is_shared[k] = true;
    }
    let pinned = |k: usize| first.pinned.get(k).copied().unwrap_or(false);
    let shared_k: Vec<usize> = (0..names.len()).filter(|&k| is_shared[k]).collect();

    // The joint vector: shared parameters once, then each group's other free ones.
    let mut next = shared_k.len();
    let slots: Vec<Vec<Slot>> = groups
        .iter()
        .map(|g| {
            (0..names.len())
                .map(|k| {
                    if pinned(k) {
                        Slot::Held(g.fit.params[k])
                    } else if let Some(s) = shared_k.iter().position(|&sk| sk == k) {
                        Slot::Joint(s)
                    } else {
                        next += 1;
                        Slot::Joint(next - 1)
                    }
                })
                .collect()
        })
        .collect();
    let n_params = next;
    let positive: Vec<bool> = {
        let mut p = vec![false; n_params];
        for s in &slots {
            for (k, slot) in s.iter().enumerate() {
                if let Slot::Joint(j) = slot {
                    p[*j] = law.params()[k].positive;
                }
            }
        }
        p
    };

    // Each group's points with its weights at mean 1, as its separate fit saw them.
    let normalised: Vec<Option<Points>> = groups
        .iter()
        .map(|g| with_unit_mean_weights(g.points))
        .collect();
    let points: Vec<&Points> = groups
        .iter()
        .zip(&normalised)
        .map(|(g, n)| n.as_ref().unwrap_or(g.points))
        .collect();
    let log = objective.is_log();
    let models: Vec<FormModel> = points
        .iter()
        .map(|p| FormModel::new(form, p, log))
        .collect();
    let sqrt_w: Vec<Option<Vec<f64>>> = points
        .iter()
        .map(|p| {
            p.weights
                .as_ref()
                .map(|w| w.iter().map(|v| v.max(0.0).sqrt()).collect())
        })
        .collect();
    let mut offsets = Vec::with_capacity(groups.len());
    let mut n_residuals = 0;
    for m in &models {
        offsets.push(n_residuals);
        n_residuals += m.n_residuals();
    }
    let joint = Joint {
        models,
        sqrt_w,
        slots,
        offsets,
        n_params,
        n_residuals,
    };

    // Degrees of freedom of the separate fits.
    let n: usize = points
        .iter()
        .map(|p| (0..p.len()).filter(|&i| p.weight(i) > 0.0).count())
        .sum();
    let free = (0..names.len()).filter(|&k| !pinned(k)).count();
    let p_separate = free * groups.len();
    if n <= p_separate {
        return Err(SharedError::NoDof {
            n,
            params: p_separate,
        });
    }
    let q = (groups.len() - 1) * shared_k.len();

    let rss_separate: f64 = (0..groups.len())
        .map(|g| {
            let mut r = vec![0.0; joint.models[g].n_residuals()];
            joint.models[g].residuals(&groups[g].fit.params, &mut r);
            let w = |i: usize| joint.sqrt_w[g].as_ref().map_or(1.0, |s| s[i] * s[i]);
            r.iter().enumerate().map(|(i, v)| w(i) * v * v).sum::<f64>()
        })
        .sum();

    let (theta, termination) = solve(&joint, groups, &shared_k, &positive)?;
    let rss_joint = sse(&joint, &theta);
    let params: Vec<Vec<f64>> = (0..groups.len())
        .map(|g| joint.group_params(g, &theta))
        .collect();
    let values: Vec<f64> = shared_k.iter().map(|&k| params[0][k]).collect();
    let stderr = shared_stderr(&joint, &theta, rss_joint, shared_k.len());

    let dof2 = n - p_separate;
    let (statistic, p) = f_test(rss_joint, rss_separate, q, dof2);
    Ok(SharedFit {
        form,
        objective,
        names: shared_k.iter().map(|&k| names[k]).collect(),
        values,
        stderr,
        groups: groups.iter().map(|g| g.name.map(str::to_string)).collect(),
        params,
        rss_joint,
        rss_separate,
        n,
        statistic,
        dof: (q, dof2),
        p,
        termination,
    })
}

/// The shared fit of every fitted group of `analysis` (groups that could not be fitted
/// are left out).
///
/// # Errors
/// As [`fit_shared`].
pub fn of_analysis(analysis: &Analysis, shared: &[&str]) -> Result<SharedFit, SharedError> {
    let fitted: Vec<(Option<&str>, Points, &Fit)> = analysis
        .groups
        .iter()
        .filter_map(|g| {
            g.fit
                .as_ref()
                .ok()
                .map(|f| (g.name.as_deref(), g.fitted_points(), f))
        })
        .collect();
    let groups: Vec<SharedGroup> = fitted
        .iter()
        .map(|(name, points, fit)| SharedGroup {
            name: *name,
            points,
            fit,
        })
        .collect();
    fit_shared(&groups, shared)
}

/// `F` and its upper tail probability; `F = 0` (p = 1) when the joint fit is no worse.
fn f_test(rss_joint: f64, rss_separate: f64, q: usize, dof2: usize) -> (f64, f64) {
    let extra = (rss_joint - rss_separate).max(0.0);
    if q == 0 || extra == 0.0 {
        return (0.0, 1.0);
    }
    if rss_separate <= 0.0 {
        return (f64::INFINITY, 0.0);
    }
    let f = (extra / q as f64) / (rss_separate / dof2 as f64);
    let p = match FisherSnedecor::new(q as f64, dof2 as f64) {
        Ok(d) => d.sf(f),
        Err(_) => f64::NAN,
    };
    (f, p)
}

/// Minimises the joint sum of squares from the separate fits: the shared parameters at the
/// inverse-variance weighted mean of the groups' estimates, then at each group's own.
fn solve(
    joint: &Joint,
    groups: &[SharedGroup],
    shared_k: &[usize],
    positive: &[bool],
) -> Result<(Vec<f64>, Termination), SharedError> {
    let law = groups[0].fit.form.law();
    let mut base = vec![0.0; joint.n_params];
    for (g, slots) in joint.slots.iter().enumerate() {
        for (k, slot) in slots.iter().enumerate() {
            if let Slot::Joint(j) = slot {
                base[*j] = groups[g].fit.params[k];
            }
        }
    }
    let mut starts = vec![base.clone()];
    let mean: Vec<f64> = shared_k
        .iter()
        .map(|&k| pooled(groups, k, law.params()[k].positive))
        .collect();
    for (s, v) in mean.iter().enumerate() {
        starts[0][s] = *v;
    }
    for g in groups {
        let mut s = base.clone();
        for (i, &k) in shared_k.iter().enumerate() {
            s[i] = g.fit.params[k];
        }
        starts.push(s);
    }
    let options = LsOptions::default();
    let lp = LogParams::new(joint, positive);
    let mut best: Option<(f64, Vec<f64>, Termination)> = None;
    let mut last = Termination::Numerical { detail: "no start" };
    for start in &starts {
        let (theta, termination) = match lp.from_natural(start) {
            Some(phi) if positive.iter().any(|p| *p) => {
                let s = least_squares(&lp, &phi, &options);
                (lp.to_natural(&s.params), s.termination)
            }
            _ => {
                let s = least_squares(joint, start, &options);
                (s.params, s.termination)
            }
        };
        let rss = sse(joint, &theta);
        let better = rss.is_finite()
            && match &best {
                None => true,
                Some((b, _, t)) => {
                    (termination.converged() && !t.converged())
                        || (termination.converged() == t.converged() && rss < *b)
                }
            };
        if better {
            best = Some((rss, theta, termination));
        } else {
            last = termination;
        }
    }
    best.map(|(_, theta, t)| (theta, t))
        .ok_or(SharedError::Failed { termination: last })
}

/// The groups' estimates of parameter `k` pooled by inverse variance (on the log scale for
/// a positive parameter); the plain mean when some standard error is missing.
fn pooled(groups: &[SharedGroup], k: usize, positive: bool) -> f64 {
    let logs = positive && groups.iter().all(|g| g.fit.params[k] > 0.0);
    let value = |g: &SharedGroup| {
        let v = g.fit.params[k];
        if logs {
            v.ln()
        } else {
            v
        }
    };
    let var = |g: &SharedGroup| {
        let se = g.fit.stderr.get(k).copied().unwrap_or(f64::NAN);
        let se = if logs { se / g.fit.params[k] } else { se };
        se * se
    };
    let weights: Vec<f64> = groups.iter().map(|g| 1.0 / var(g)).collect();
    let usable = weights.iter().all(|w| w.is_finite() && *w > 0.0);
    let (num, den) = groups
        .iter()
        .zip(&weights)
        .map(|(g, w)| {
            if usable {
                (w * value(g), *w)
            } else {
                (value(g), 1.0)
            }
        })
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let m = num / den;
    if logs {
        m.exp()
    } else {
        m
    }
}

/// Standard errors of the first `count` joint parameters, `√diag(σ²(JᵀJ)⁻¹)` with
/// `σ² = RSS/(m − n_params)`; NaN when not estimable.
fn shared_stderr(joint: &Joint, theta: &[f64], rss: f64, count: usize) -> Vec<f64> {
    let (m, k) = (joint.n_residuals, joint.n_params);
    let nan = vec![f64::NAN; count];
    if m <= k {
        return nan;
    }
    let mut j = DMatrix::zeros(m, k);
    joint.jacobian(theta, &mut j);
    let Some(inv) = stats::jtj_inverse(&j) else {
        return nan;
    };
    let s2 = rss / (m - k) as f64;
    (0..count).map(|i| (s2 * inv[(i, i)]).sqrt()).collect()
}

impl SharedFit {
    /// One line for people: `one alpha explains all 2 groups: F(1, 36) = 0.68, p = 0.41`,
    /// or, when the test rejects at 5 %, `one alpha for all 2 groups is rejected: …`.
    pub fn summary(&self) -> String {
        use crate::format::sig;
        let what = self.names.join(", ");
        let k = self.groups.len();
        let head = if self.p < 0.05 {
            format!("one {what} for all {k} groups is rejected")
        } else {
            format!("one {what} explains all {k} groups")
        };
        let values: Vec<String> = self
            .names
            .iter()
            .zip(&self.values)
            .map(|(n, v)| format!("{n} = {}", sig(*v, 4)))
            .collect();
        format!(
            "{head}: F({}, {}) = {}, p = {} (shared {})",
            self.dof.0,
            self.dof.1,
            sig(self.statistic, 4),
            sig(self.p, 3),
            values.join(", ")
        )
    }
}
