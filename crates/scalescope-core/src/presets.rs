//! Published scaling laws, usable without data: forward prediction, and inversion wherever
//! a closed form exists.
//!
//! Losses are in nats per token; N counts parameters (non-embedding for Kaplan et al.) and
//! D training tokens; compute is `C = 6ND`.
//!
//! | preset | law |
//! |---|---|
//! | Kaplan et al. 2020, L(N) | `L = (N_c/N)^α_N` |
//! | Kaplan et al. 2020, L(N, D) | `L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D` |
//! | Hoffmann et al. 2022, Approach 3 | `L = E + A·N^−α + B·D^−β` |
//! | Epoch AI 2024 replication | `L = E + A·N^−α + B·D^−β` |
//!
//! ```
//! use scalescope_core::presets::PresetId;
//!
//! let law = PresetId::Hoffmann2022.preset().law;
//! let two = law.two_input().unwrap();
//! let at = two.optimal_allocation(5.88e23)?; // Chinchilla's budget
//! assert!((at.n / 3.249e10 - 1.0).abs() < 1e-3);
//! assert!((two.loss(at.n, at.d)? - at.loss).abs() < 1e-12);
//! # Ok::<(), scalescope_core::InvertError>(())
//! ```

use crate::chinchilla::{self, Allocation, ChinchillaParams};
use crate::{Fit, Form, InvertError, Required};

/// Which published law.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PresetId {
    /// Kaplan et al. 2020, L(N).
    Kaplan2020N,
    /// Kaplan et al. 2020, L(N, D).
    Kaplan2020ND,
    /// Hoffmann et al. 2022 (Chinchilla), Approach 3.
    Hoffmann2022,
    /// Epoch AI 2024, replication of Approach 3.
    Epoch2024,
}

/// A published law with where it comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Preset {
    /// Which preset.
    pub id: PresetId,
    /// Short title for a menu.
    pub title: &'static str,
    /// The source: authors, year, title, arXiv id, and where in the paper.
    pub citation: &'static str,
    /// The law with its published constants.
    pub law: Law,
}

impl PresetId {
    /// All presets, in menu order.
    pub const ALL: [PresetId; 4] = [
        PresetId::Kaplan2020N,
        PresetId::Kaplan2020ND,
        PresetId::Hoffmann2022,
        PresetId::Epoch2024,
    ];

    /// Stable identifier (`kaplan2020-n`, `kaplan2020-nd`, `hoffmann2022`, `epoch2024`).
    pub fn key(self) -> &'static str {
        match self {
            PresetId::Kaplan2020N => "kaplan2020-n",
            PresetId::Kaplan2020ND => "kaplan2020-nd",
            PresetId::Hoffmann2022 => "hoffmann2022",
            PresetId::Epoch2024 => "epoch2024",
        }
    }

    /// Looks a preset up by [`PresetId::key`].
    pub fn from_key(key: &str) -> Option<PresetId> {
        PresetId::ALL.into_iter().find(|id| id.key() == key)
    }

    /// The preset's law, title and citation.
    pub fn preset(self) -> Preset {
        match self {
            PresetId::Kaplan2020N => Preset {
                id: self,
                title: "Kaplan et al. 2020, L(N)",
                citation: "J. Kaplan et al., \"Scaling Laws for Neural Language Models\", \
                    arXiv:2001.08361 (2020), eq. 1.1: α_N = 0.076, N_c = 8.8e13 \
                    non-embedding parameters (trained to convergence, WebText2).",
                law: Law::KaplanN(KaplanN {
                    alpha_n: 0.076,
                    n_c: 8.8e13,
                }),
            },
            PresetId::Kaplan2020ND => Preset {
                id: self,
                title: "Kaplan et al. 2020, L(N, D)",
                citation: "J. Kaplan et al., \"Scaling Laws for Neural Language Models\", \
                    arXiv:2001.08361 (2020), eq. 1.5 and Table 2: α_N = 0.076, α_D = 0.103, \
                    N_c = 6.4e13, D_c = 1.8e13 (early-stopped, WebText2).",
                law: Law::KaplanND(KaplanND {
                    alpha_n: 0.076,
                    alpha_d: 0.103,
                    n_c: 6.4e13,
                    d_c: 1.8e13,
                }),
            },
            PresetId::Hoffmann2022 => Preset {
                id: self,
                title: "Hoffmann et al. 2022 (Chinchilla), Approach 3",
                citation: "J. Hoffmann et al., \"Training Compute-Optimal Large Language \
                    Models\", arXiv:2203.15556 (2022), Approach 3, eq. 10: E = 1.69, \
                    A = 406.4, B = 410.7, α = 0.34, β = 0.28.",
                law: Law::Chinchilla(ChinchillaParams {
                    e: 1.69,
                    a: 406.4,
                    b: 410.7,
                    alpha: 0.34,
                    beta: 0.28,
                }),
            },
            PresetId::Epoch2024 => Preset {
                id: self,
                title: "Epoch AI 2024, Chinchilla replication",
                citation: "T. Besiroglu, E. Erdil, M. Barnett, J. You (Epoch AI), \
                    \"Chinchilla Scaling: A replication attempt\", arXiv:2404.10102 (2024): \
                    E = 1.8169, A = 482.01, B = 2085.43, α = 0.3478, β = 0.3658.",
                law: Law::Chinchilla(ChinchillaParams {
                    e: 1.8169,
                    a: 482.01,
                    b: 2085.43,
                    alpha: 0.3478,
                    beta: 0.3658,
                }),
            },
        }
    }
}

/// Kaplan et al.'s `L(N) = (N_c/N)^α_N`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KaplanN {
    /// Exponent α_N.
    pub alpha_n: f64,
    /// Scale N_c (parameters).
    pub n_c: f64,
}

/// Kaplan et al.'s `L(N, D) = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KaplanND {
    /// Exponent α_N.
    pub alpha_n: f64,
    /// Exponent α_D.
    pub alpha_d: f64,
    /// Scale N_c (parameters).
    pub n_c: f64,
    /// Scale D_c (tokens).
    pub d_c: f64,
}

/// A published law.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Law {
    /// One input: parameters.
    KaplanN(KaplanN),
    /// Two inputs, Kaplan's form.
    KaplanND(KaplanND),
    /// Two inputs, the Chinchilla form.
    Chinchilla(ChinchillaParams),
}

/// A law of parameters N and tokens D, with its compute-optimal frontier under `C = 6ND`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TwoInput {
    /// Kaplan's L(N, D).
    KaplanND(KaplanND),
    /// `E + A·N^−α + B·D^−β` (a preset or a chinchilla fit).
    Chinchilla(ChinchillaParams),
}

fn positive(name: &'static str, value: f64) -> Result<f64, InvertError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(InvertError::BadArgument { name, value })
    }
}

fn finite_loss(loss: f64) -> Result<f64, InvertError> {
    if loss.is_finite() {
        Ok(loss)
    } else {
        Err(InvertError::BadArgument {
            name: "loss",
            value: loss,
        })
    }
}

/// The same rule as the chinchilla module: positive A, B, alpha, beta and a finite E.
fn check_chinchilla(p: &ChinchillaParams) -> Result<(), InvertError> {
    let ok = |v: f64| v.is_finite() && v > 0.0;
    if ok(p.a) && ok(p.b) && ok(p.alpha) && ok(p.beta) && p.e.is_finite() {
        Ok(())
    } else {
        Err(InvertError::BadParams(format!(
            "A, B, alpha and beta must be positive (A = {}, B = {}, alpha = {}, beta = {})",
            p.a, p.b, p.alpha, p.beta
        )))
    }
}

fn overflow(target: f64, what: &str) -> InvertError {
    InvertError::Unreachable {
        target,
        reason: format!("the {what} needed overflows"),
    }
}

impl KaplanN {
    fn check(&self) -> Result<(), InvertError> {
        if positive("alpha_N", self.alpha_n).is_err() || positive("N_c", self.n_c).is_err() {
            return Err(InvertError::BadParams(format!(
                "alpha_N and N_c must be positive (alpha_N = {}, N_c = {})",
                self.alpha_n, self.n_c
            )));
        }
        Ok(())
    }

    /// Predicted loss of `n` parameters.
    ///
    /// # Errors
    /// Non-positive `n`.
    pub fn loss(&self, n: f64) -> Result<f64, InvertError> {
        self.check()?;
        Ok((self.n_c / positive("N", n)?).powf(self.alpha_n))
    }

    /// Parameters needed for `loss`: `N = N_c · L^(−1/α_N)`.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] for a loss ≤ 0 (the law decreases to zero).
    pub fn required_n(&self, loss: f64) -> Result<f64, InvertError> {
        self.check()?;
        finite_loss(loss)?;
        if loss <= 0.0 {
            return Err(InvertError::Unreachable {
                target: loss,
                reason: "the law (N_c/N)^α_N only approaches zero".into(),
            });
        }
        let n = self.n_c * loss.powf(-1.0 / self.alpha_n);
        if n.is_finite() {
            Ok(n)
        } else {
            Err(overflow(loss, "model size"))
        }
    }
}

impl KaplanND {
    fn check(&self) -> Result<(), InvertError> {
        let ok = |v: f64| v.is_finite() && v > 0.0;
        if !(ok(self.alpha_n) && ok(self.alpha_d) && ok(self.n_c) && ok(self.d_c)) {
            return Err(InvertError::BadParams(format!(
                "alpha_N, alpha_D, N_c and D_c must be positive (alpha_N = {}, alpha_D = {}, \
                 N_c = {}, D_c = {})",
                self.alpha_n, self.alpha_d, self.n_c, self.d_c
            )));
        }
        Ok(())
    }

    /// `α_N / α_D`.
    fn ratio(&self) -> f64 {
        self.alpha_n / self.alpha_d
    }

    fn raw_loss(&self, n: f64, d: f64) -> f64 {
        ((self.n_c / n).powf(self.ratio()) + self.d_c / d).powf(self.alpha_d)
    }

    /// The allocation at `n` on the frontier, `C = 6·D_c·N^(1+r)/(r·N_c^r)` with
    /// `r = α_N/α_D` (the stationary point of `L(N, C/6N)` in `N`).
    fn allocation_at_n(&self, n: f64) -> Allocation {
        let r = self.ratio();
        let compute = 6.0 * self.d_c * n.powf(1.0 + r) / (r * self.n_c.powf(r));
        let d = compute / (6.0 * n);
        Allocation {
            compute,
            n,
            d,
            loss: self.raw_loss(n, d),
            tokens_per_param: d / n,
        }
    }
}

impl Law {
    /// How many inputs the law takes: 1 (N) or 2 (N and D).
    pub fn inputs(&self) -> usize {
        match self {
            Law::KaplanN(_) => 1,
            Law::KaplanND(_) | Law::Chinchilla(_) => 2,
        }
    }

    /// The two-input law with its compute frontier; `None` for L(N).
    pub fn two_input(&self) -> Option<TwoInput> {
        match *self {
            Law::KaplanN(_) => None,
            Law::KaplanND(k) => Some(TwoInput::KaplanND(k)),
            Law::Chinchilla(p) => Some(TwoInput::Chinchilla(p)),
        }
    }

    /// The formula with the constants, e.g. `L = (8.8e13/N)^0.076`.
    pub fn formula(&self) -> String {
        match self {
            Law::KaplanN(k) => format!("L = ({:e}/N)^{}", k.n_c, k.alpha_n),
            Law::KaplanND(k) => format!(
                "L = [({:e}/N)^({}/{}) + {:e}/D]^{}",
                k.n_c, k.alpha_n, k.alpha_d, k.d_c, k.alpha_d
            ),
            Law::Chinchilla(p) => {
                format!("L = {} + {}/N^{} + {}/D^{}", p.e, p.a, p.alpha, p.b, p.beta)
            }
        }
    }

    /// Predicted loss at `n` parameters (and `d` tokens for two-input laws; L(N) ignores it).
    ///
    /// # Errors
    /// Non-positive `n`, or a missing or non-positive `d` for a two-input law.
    pub fn loss(&self, n: f64, d: Option<f64>) -> Result<f64, InvertError> {
        match (*self, d) {
            (Law::KaplanN(k), _) => k.loss(n),
            (Law::KaplanND(k), d) => TwoInput::KaplanND(k).loss(n, d.unwrap_or(f64::NAN)),
            (Law::Chinchilla(p), d) => TwoInput::Chinchilla(p).loss(n, d.unwrap_or(f64::NAN)),
        }
    }

    /// The fewest parameters that reach `loss`: exact for L(N); with unlimited data for
    /// the two-input laws.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] at or below the law's floor.
    pub fn required_n(&self, loss: f64) -> Result<f64, InvertError> {
        match *self {
            Law::KaplanN(k) => k.required_n(loss),
            Law::KaplanND(k) => TwoInput::KaplanND(k).min_params_for_loss(loss),
            Law::Chinchilla(p) => TwoInput::Chinchilla(p).min_params_for_loss(loss),
        }
    }
}

/// What the calculator evaluates: a fitted law or a published one.
#[derive(Clone, Copy, Debug)]
pub enum Model<'a> {
    /// A fit to the user's data (one group).
    Fitted(&'a Fit),
    /// A published law.
    Published(Law),
}

/// A predicted loss, with the 95 % confidence band of the mean when the model has one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// The predicted loss.
    pub loss: f64,
    /// 95 % band (fits with a covariance only).
    pub band95: Option<(f64, f64)>,
}

impl Model<'_> {
    /// How many inputs the model takes: 1 (x or N) or 2 (N and D).
    pub fn inputs(&self) -> usize {
        match self {
            Model::Fitted(f) => f.form.inputs(),
            Model::Published(l) => l.inputs(),
        }
    }

    /// The N-and-D law with its compute frontier: a chinchilla fit or a two-input preset.
    pub fn two_input(&self) -> Option<TwoInput> {
        match self {
            Model::Fitted(f) => ChinchillaParams::from_fit(f).map(TwoInput::Chinchilla),
            Model::Published(l) => l.two_input(),
        }
    }

    /// The input needed to reach `target` for a one-input model, with its 95 % interval
    /// (a published law has no interval: `(NaN, NaN)`).
    ///
    /// # Errors
    /// [`InvertError::NotOneInput`] for two-input models (use [`Model::two_input`]),
    /// [`InvertError::Unreachable`] when the law never reaches the target.
    pub fn required(&self, target: f64) -> Result<Required, InvertError> {
        match self {
            Model::Fitted(f) => f.required_x(target),
            Model::Published(Law::KaplanN(k)) => k.required_n(target).map(|x| Required {
                target,
                x,
                ci95: (f64::NAN, f64::NAN),
            }),
            Model::Published(_) => Err(InvertError::NotOneInput),
        }
    }

    /// The loss predicted at input `x` (N for two-input models) and, for two-input models,
    /// `d` tokens.
    ///
    /// # Errors
    /// A non-positive or non-finite input, or a missing D for a two-input model.
    pub fn predict(&self, x: f64, d: Option<f64>) -> Result<Prediction, InvertError> {
        match self {
            Model::Published(l) => l.loss(x, d).map(|loss| Prediction { loss, band95: None }),
            Model::Fitted(f) => {
                let x = positive(if f.form == Form::Chinchilla { "N" } else { "x" }, x)?;
                let d = match f.form {
                    Form::Chinchilla => Some(positive("D", d.unwrap_or(f64::NAN))?),
                    _ => None,
                };
                let loss = f.predict(x, d);
                if !loss.is_finite() {
                    return Err(InvertError::BadArgument {
                        name: "x",
                        value: x,
                    });
                }
                let (lo, hi) = f.band95(x, d);
                let band95 = (lo.is_finite() && hi.is_finite()).then_some((lo, hi));
                Ok(Prediction { loss, band95 })
            }
        }
    }
}

impl TwoInput {
    /// Predicted loss at `n` parameters and `d` tokens.
    ///
    /// # Errors
    /// Non-positive `n` or `d`, or invalid constants.
    pub fn loss(&self, n: f64, d: f64) -> Result<f64, InvertError> {
        let n = positive("N", n)?;
        let d = positive("D", d)?;
        match self {
            TwoInput::KaplanND(k) => {
                k.check()?;
                Ok(k.raw_loss(n, d))
            }
            TwoInput::Chinchilla(p) => {
                check_chinchilla(p)?;
                Ok(p.loss(n, d))
            }
        }
    }

    /// The compute-optimal N and D for `compute` FLOP (`C = 6ND`) and the loss there.
    ///
    /// For Kaplan's L(N, D) this is the exact minimiser of `L(N, C/6N)`,
    /// `N* = (r·N_c^r·C/(6·D_c))^(1/(1+r))` with `r = α_N/α_D` — the frontier implied by
    /// eq. 1.5, not Kaplan et al.'s own compute-efficient frontier (which uses L(N, S)).
    ///
    /// # Errors
    /// Non-positive compute or invalid constants.
    pub fn optimal_allocation(&self, compute: f64) -> Result<Allocation, InvertError> {
        match self {
            TwoInput::Chinchilla(p) => chinchilla::optimal_allocation(p, compute),
            TwoInput::KaplanND(k) => {
                k.check()?;
                let c = positive("compute", compute)?;
                let r = k.ratio();
                let n = (r * k.n_c.powf(r) * c / (6.0 * k.d_c)).powf(1.0 / (1.0 + r));
                let d = c / (6.0 * n);
                Ok(Allocation {
                    compute: c,
                    n,
                    d,
                    loss: k.raw_loss(n, d),
                    tokens_per_param: d / n,
                })
            }
        }
    }

    /// The least compute that reaches `loss`, with its optimal allocation.
    ///
    /// For Kaplan's L(N, D), along the frontier `L^(1/α_D) = (1+r)·(N_c/N*)^r`, so
    /// `N* = N_c·((1+r)/L^(1/α_D))^(1/r)`.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] at or below the law's floor (E, or 0 for Kaplan).
    pub fn compute_for_loss(&self, loss: f64) -> Result<Allocation, InvertError> {
        match self {
            TwoInput::Chinchilla(p) => chinchilla::compute_for_loss(p, loss),
            TwoInput::KaplanND(k) => {
                k.check()?;
                finite_loss(loss)?;
                if loss <= 0.0 {
                    return Err(InvertError::Unreachable {
                        target: loss,
                        reason: "Kaplan's L(N, D) only approaches zero".into(),
                    });
                }
                let r = k.ratio();
                let n = k.n_c * ((1.0 + r) / loss.powf(1.0 / k.alpha_d)).powf(1.0 / r);
                let at = k.allocation_at_n(n);
                if at.compute.is_finite() && at.d.is_finite() {
                    Ok(at)
                } else {
                    Err(overflow(loss, "compute"))
                }
            }
        }
    }

    /// Tokens a model of `n` parameters needs to reach `loss`.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] when even unlimited data leaves the loss above target.
    pub fn tokens_for_loss(&self, n: f64, loss: f64) -> Result<f64, InvertError> {
        match self {
            TwoInput::Chinchilla(p) => chinchilla::tokens_for_loss(p, n, loss),
            TwoInput::KaplanND(k) => {
                k.check()?;
                let n = positive("N", n)?;
                finite_loss(loss)?;
                let floor = (k.n_c / n).powf(k.alpha_n);
                let rest = if loss > 0.0 {
                    loss.powf(1.0 / k.alpha_d) - (k.n_c / n).powf(k.ratio())
                } else {
                    f64::NEG_INFINITY
                };
                if rest <= 0.0 {
                    return Err(InvertError::Unreachable {
                        target: loss,
                        reason: format!(
                            "a model of {n:e} parameters cannot go below {floor} however much \
                             data it sees"
                        ),
                    });
                }
                let d = k.d_c / rest;
                if d.is_finite() {
                    Ok(d)
                } else {
                    Err(overflow(loss, "data"))
                }
            }
        }
    }

    /// The fewest parameters that reach `loss` with unlimited data.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] at or below the floor.
    pub fn min_params_for_loss(&self, loss: f64) -> Result<f64, InvertError> {
        finite_loss(loss)?;
        let n = match self {
            TwoInput::KaplanND(k) => {
                return KaplanN {
                    alpha_n: k.alpha_n,
                    n_c: k.n_c,
                }
                .required_n(loss)
            }
            TwoInput::Chinchilla(p) => {
                check_chinchilla(p)?;
                if loss <= p.e {
                    return Err(InvertError::Unreachable {
                        target: loss,
                        reason: format!("no model gets below the irreducible loss E = {}", p.e),
                    });
                }
                (p.a / (loss - p.e)).powf(1.0 / p.alpha)
            }
        };
        if n.is_finite() {
            Ok(n)
        } else {
            Err(overflow(loss, "model size"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a / b - 1.0).abs() < rel
    }

    fn law(id: PresetId) -> Law {
        id.preset().law
    }

    fn two(id: PresetId) -> TwoInput {
        match law(id).two_input() {
            Some(t) => t,
            None => panic!("{id:?} is not a two-input law"),
        }
    }

    /// Epoch AI's fit at full precision (the allocation vectors of issue 3).
    const EPOCH_FULL: ChinchillaParams = ChinchillaParams {
        e: 1.816864,
        a: 482.0057,
        b: 2085.4342,
        alpha: 0.3478130,
        beta: 0.3658541,
    };

    #[test]
    fn keys_round_trip_and_every_preset_cites_its_source() {
        for id in PresetId::ALL {
            assert_eq!(PresetId::from_key(id.key()), Some(id));
            let p = id.preset();
            assert_eq!(p.id, id);
            assert!(p.citation.contains("arXiv:"), "{}", p.citation);
        }
        assert_eq!(PresetId::from_key("nope"), None);
        assert_eq!(law(PresetId::Kaplan2020N).inputs(), 1);
        assert_eq!(law(PresetId::Epoch2024).inputs(), 2);
        assert_eq!(law(PresetId::Kaplan2020N).formula(), "L = (8.8e13/N)^0.076");
        assert_eq!(
            law(PresetId::Hoffmann2022).formula(),
            "L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28"
        );
    }

    #[test]
    fn kaplan_n_forward_and_inverse() {
        let l = law(PresetId::Kaplan2020N);
        // (8.8e13/1e9)^0.076 = exp(0.076 · ln 88 000) = exp(0.076 · 11.385092) = e^0.8652670
        // = 2.375640.
        let at_1b = l.loss(1e9, None).unwrap();
        assert!(close(at_1b, 2.3756403, 1e-7), "{at_1b}");
        // 70B: (8.8e13/7e10)^0.076 = 1257.14^0.076 = 1.720098.
        assert!(close(l.loss(7e10, None).unwrap(), 1.7200982, 1e-7));
        // N = N_c · L^(−1/α_N): 8.8e13 · 2.5^(−13.1579) = 5.110106e8.
        let n = l.required_n(2.5).unwrap();
        assert!(close(n, 5.1101062e8, 1e-7), "{n}");
        assert!(close(l.required_n(at_1b).unwrap(), 1e9, 1e-12));
        assert!(matches!(
            l.required_n(0.0),
            Err(InvertError::Unreachable { .. })
        ));
        assert!(matches!(
            l.loss(-1.0, None),
            Err(InvertError::BadArgument { name: "N", .. })
        ));
        assert!(l.two_input().is_none());
    }

    #[test]
    fn kaplan_nd_forward_and_inverse() {
        let k = two(PresetId::Kaplan2020ND);
        // r = 0.076/0.103 = 0.737864; (6.4e13/1e9)^r = 64 000^r = 3535.71;
        // 1.8e13/2e10 = 900; (4435.71)^0.103 = 2.373882.
        let l = k.loss(1e9, 2e10).unwrap();
        assert!(close(l, 2.3738824, 1e-7), "{l}");
        // D for N = 1e10 and L = 2.3: 1.8e13 / (2.3^(1/0.103) − (6400)^r) = 6.904659e9.
        let d = k.tokens_for_loss(1e10, 2.3).unwrap();
        assert!(close(d, 6.9046590e9, 1e-7), "{d}");
        assert!(close(k.loss(1e10, d).unwrap(), 2.3, 1e-12));
        // Below the infinite-data loss of N = 1e10 ((6.4e13/1e10)^0.076 = 1.946): unreachable.
        assert!(matches!(
            k.tokens_for_loss(1e10, 1.9),
            Err(InvertError::Unreachable { .. })
        ));
        // Fewest parameters for L = 2 with unlimited data: 6.4e13 · 2^(−1/0.076) = 7.0026e9.
        let n = law(PresetId::Kaplan2020ND).required_n(2.0).unwrap();
        assert!(close(n, 7.0025945e9, 1e-7), "{n}");
        assert!(matches!(
            law(PresetId::Kaplan2020ND).loss(1e9, None),
            Err(InvertError::BadArgument { name: "D", .. })
        ));
    }

    #[test]
    fn kaplan_nd_frontier_is_the_minimum_and_inverts() {
        let k = two(PresetId::Kaplan2020ND);
        // N* = (r·N_c^r·C/(6·D_c))^(1/(1+r)) at C = 1e24: 3.317647e11, D* = C/6N* = 5.023641e11.
        let at = k.optimal_allocation(1e24).unwrap();
        assert!(close(at.n, 3.3176468e11, 1e-7), "{}", at.n);
        assert!(close(at.d, 5.0236410e11, 1e-7), "{}", at.d);
        assert!(close(at.loss, 1.5790948, 1e-7), "{}", at.loss);
        assert!(close(6.0 * at.n * at.d, 1e24, 1e-12));
        // It is the minimum along C = 6ND: ±1 % in N only raises the loss.
        for f in [0.99, 1.01] {
            let n = at.n * f;
            assert!(k.loss(n, 1e24 / (6.0 * n)).unwrap() > at.loss);
        }
        // The compute for L = 2: N* = N_c·((1+r)/2^(1/α_D))^(1/r) = 1.480961e10, C = 4.501792e21.
        let back = k.compute_for_loss(2.0).unwrap();
        assert!(close(back.n, 1.4809608e10, 1e-7), "{}", back.n);
        assert!(close(back.compute, 4.5017921e21, 1e-7), "{}", back.compute);
        assert!(close(back.loss, 2.0, 1e-12));
        for c in [1e18, 1e21, 1e24, 1e27] {
            let at = k.optimal_allocation(c).unwrap();
            let back = k.compute_for_loss(at.loss).unwrap();
            assert!(close(back.compute, c, 1e-9), "{c}: {}", back.compute);
        }
        assert!(matches!(
            k.compute_for_loss(-1.0),
            Err(InvertError::Unreachable { .. })
        ));
        assert!(matches!(
            k.optimal_allocation(0.0),
            Err(InvertError::BadArgument {
                name: "compute",
                ..
            })
        ));
    }

    #[test]
    fn epoch_allocation_vectors_of_issue_3() {
        // Full-precision Epoch fit at 1e24 FLOP: N* = 9.601e10, D* = 1.736e12, L = 1.9592.
        let at = TwoInput::Chinchilla(EPOCH_FULL)
            .optimal_allocation(1e24)
            .unwrap();
        assert_eq!(format!("{:.3e}", at.n), "9.601e10");
        assert_eq!(format!("{:.3e}", at.d), "1.736e12");
        assert!((at.loss - 1.9592).abs() < 5e-5, "{}", at.loss);
        // The preset's rounded constants: N* = 9.586e10, D* = 1.739e12, L = 1.95941.
        let at = two(PresetId::Epoch2024).optimal_allocation(1e24).unwrap();
        assert!(close(at.n, 9.5860654e10, 1e-7), "{}", at.n);
        assert!(close(at.d, 1.7386348e12, 1e-7), "{}", at.d);
        assert!(close(at.loss, 1.9594124, 1e-7), "{}", at.loss);
    }

    #[test]
    fn hoffmann_preset() {
        let h = two(PresetId::Hoffmann2022);
        // Chinchilla's budget 5.88e23: N* = 3.249e10, D* = 3.016e12, L = 1.92999.
        let at = h.optimal_allocation(5.88e23).unwrap();
        assert!(close(at.n, 3.2491009e10, 1e-7), "{}", at.n);
        assert!(close(at.d, 3.0162190e12, 1e-7), "{}", at.d);
        assert!(close(at.loss, 1.9299871, 1e-7), "{}", at.loss);
        // Chinchilla itself: 1.69 + 406.4/(7e10)^0.34 + 410.7/(1.4e12)^0.28 = 1.936645.
        assert!(close(h.loss(7e10, 1.4e12).unwrap(), 1.9366455, 1e-7));
        // Unlimited data, L = 2: N = (406.4/0.31)^(1/0.34) = 1.477026e9.
        let n = law(PresetId::Hoffmann2022).required_n(2.0).unwrap();
        assert!(close(n, 1.4770264e9, 1e-7), "{n}");
        assert!(matches!(
            h.compute_for_loss(1.6),
            Err(InvertError::Unreachable { .. })
        ));
        assert!(matches!(
            h.min_params_for_loss(1.69),
            Err(InvertError::Unreachable { .. })
        ));
        let at = h.compute_for_loss(2.0).unwrap();
        assert!(close(h.tokens_for_loss(at.n, 2.0).unwrap(), at.d, 1e-9));
    }

    #[test]
    fn invalid_constants_are_errors_not_panics() {
        let bad = TwoInput::KaplanND(KaplanND {
            alpha_n: 0.0,
            alpha_d: 0.103,
            n_c: 6.4e13,
            d_c: 1.8e13,
        });
        assert!(matches!(bad.loss(1e9, 1e9), Err(InvertError::BadParams(_))));
        assert!(matches!(
            bad.optimal_allocation(1e24),
            Err(InvertError::BadParams(_))
        ));
        let bad = Law::KaplanN(KaplanN {
            alpha_n: -0.1,
            n_c: 1.0,
        });
        assert!(matches!(
            bad.required_n(2.0),
            Err(InvertError::BadParams(_))
        ));
    }

    fn fitted(form: Form, points: &crate::Points) -> Fit {
        match crate::fit(points, &crate::FitOptions::new(form)) {
            Ok(f) => f,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn models_of_fits_and_presets() {
        // A noise-free power law y = 40·x^−0.1: required x for 10 is 4^10 = 1 048 576.
        let x = vec![1e6, 1e7, 1e8, 1e9, 1e10];
        let y: Vec<f64> = x.iter().map(|v: &f64| 40.0 * v.powf(-0.1)).collect();
        let f = fitted(Form::Power, &crate::Points::new(x, y));
        let m = Model::Fitted(&f);
        assert_eq!(m.inputs(), 1);
        assert!(m.two_input().is_none());
        let r = m.required(10.0).unwrap();
        assert!(close(r.x, 1_048_576.0, 1e-9), "{}", r.x);
        assert_eq!(r, f.required_x(10.0).unwrap());
        let p = m.predict(1e8, None).unwrap();
        assert!(close(p.loss, 40.0 * 1e8f64.powf(-0.1), 1e-12));
        assert!(matches!(
            m.predict(0.0, None),
            Err(InvertError::BadArgument { name: "x", .. })
        ));

        // Kaplan L(N) as a model: the preset's inverse, no interval.
        let k = Model::Published(law(PresetId::Kaplan2020N));
        let r = k.required(2.5).unwrap();
        assert!(close(r.x, 5.1101062e8, 1e-7));
        assert!(r.ci95.0.is_nan() && r.ci95.1.is_nan());
        assert_eq!(k.predict(1e9, None).unwrap().band95, None);

        // Two-input presets answer through the frontier, not `required`.
        let e = Model::Published(law(PresetId::Epoch2024));
        assert_eq!(e.required(2.0), Err(InvertError::NotOneInput));
        assert_eq!(e.two_input(), Some(two(PresetId::Epoch2024)));
        assert!(close(
            e.predict(7e10, Some(1.4e12)).unwrap().loss,
            1.8169 + 482.01 * 7e10f64.powf(-0.3478) + 2085.43 * 1.4e12f64.powf(-0.3658),
            1e-14
        ));
    }

    #[test]
    fn a_chinchilla_fit_is_a_two_input_model() {
        let p = EPOCH_FULL;
        let mut n = vec![];
        let mut d = vec![];
        let mut y = vec![];
        for ni in [1e8, 3e8, 1e9, 3e9, 1e10] {
            for di in [2e9, 1e10, 5e10, 2e11] {
                n.push(ni);
                d.push(di);
                y.push(p.loss(ni, di));
            }
        }
        let points = crate::Points {
            x: n,
            d: Some(d),
            y,
            weights: None,
        };
        let f = fitted(Form::Chinchilla, &points);
        let m = Model::Fitted(&f);
        assert_eq!(m.inputs(), 2);
        let Some(TwoInput::Chinchilla(q)) = m.two_input() else {
            panic!("not a chinchilla model")
        };
        let at = m.two_input().map(|t| t.optimal_allocation(1e24));
        assert_eq!(at, Some(crate::chinchilla::optimal_allocation(&q, 1e24)));
        let pred = m.predict(1e9, Some(1e10)).unwrap();
        assert!(close(pred.loss, p.loss(1e9, 1e10), 1e-6), "{}", pred.loss);
        assert!(matches!(
            m.predict(1e9, None),
            Err(InvertError::BadArgument { name: "D", .. })
        ));
        assert_eq!(m.required(2.0), Err(InvertError::NotOneInput));
    }
}
