//! Published scaling laws, usable without data, and [`Model`]: the one type that answers
//! every question about a law with numbers, whether they come from a fit or a paper.
//!
//! Losses are in nats per token; N counts parameters (non-embedding for Kaplan et al.) and
//! D training tokens; compute is `C = 6ND`.
//!
//! | preset | law |
//! |---|---|
//! | Kaplan et al. 2020, L(N) | `L = (N_c/N)^α_N`, i.e. the power law `a·N^b` with `a = N_c^α_N`, `b = −α_N` |
//! | Kaplan et al. 2020, L(N, D) | `kaplan-nd`: `L = [(N_c/N)^(α_N/α_D) + D_c/D]^α_D` |
//! | Hoffmann et al. 2022, Approach 3 | `chinchilla`: `L = E + A·N^−α + B·D^−β` |
//! | Epoch AI 2024 replication | `chinchilla` |
//!
//! ```
//! use scalescope_core::presets::{Model, PresetId};
//!
//! let law = PresetId::Hoffmann2022.preset().law;
//! let m = Model::published(&law);
//! let at = m.optimal_allocation(5.88e23)?; // Chinchilla's budget
//! assert!((at.n / 3.249e10 - 1.0).abs() < 1e-3);
//! assert!((m.predict(at.n, Some(at.d))?.loss - at.loss).abs() < 1e-12);
//! # Ok::<(), scalescope_core::InvertError>(())
//! ```

use crate::chinchilla::{Allocation, AllocationCi};
use crate::laws::{Frontier, Input};
use crate::{Fit, Form, InvertError, Required};
use std::borrow::Cow;

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
#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    /// Which preset.
    pub id: PresetId,
    /// Short title for a menu.
    pub title: &'static str,
    /// The source: authors, year, title, arXiv id, and where in the paper.
    pub citation: &'static str,
    /// The law with its published constants.
    pub law: Published,
}

/// A law with known parameters (no data, no uncertainty).
#[derive(Clone, Debug, PartialEq)]
pub struct Published {
    /// The law.
    pub form: Form,
    /// Its parameters, in [`Form::param_names`] order.
    pub params: Vec<f64>,
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
        let (title, citation, form, params) = match self {
            PresetId::Kaplan2020N => (
                "Kaplan et al. 2020, L(N)",
                "J. Kaplan et al., \"Scaling Laws for Neural Language Models\", \
                    arXiv:2001.08361 (2020), eq. 1.1: α_N = 0.076, N_c = 8.8e13 \
                    non-embedding parameters (trained to convergence, WebText2).",
                Form::Power,
                vec![8.8e13f64.powf(0.076), -0.076],
            ),
            PresetId::Kaplan2020ND => (
                "Kaplan et al. 2020, L(N, D)",
                "J. Kaplan et al., \"Scaling Laws for Neural Language Models\", \
                    arXiv:2001.08361 (2020), eq. 1.5 and Table 2: α_N = 0.076, α_D = 0.103, \
                    N_c = 6.4e13, D_c = 1.8e13 (early-stopped, WebText2).",
                Form::KaplanNd,
                vec![6.4e13, 1.8e13, 0.076, 0.103],
            ),
            PresetId::Hoffmann2022 => (
                "Hoffmann et al. 2022 (Chinchilla), Approach 3",
                "J. Hoffmann et al., \"Training Compute-Optimal Large Language \
                    Models\", arXiv:2203.15556 (2022), Approach 3, eq. 10: E = 1.69, \
                    A = 406.4, B = 410.7, α = 0.34, β = 0.28.",
                Form::Chinchilla,
                vec![1.69, 406.4, 410.7, 0.34, 0.28],
            ),
            PresetId::Epoch2024 => (
                "Epoch AI 2024, Chinchilla replication",
                "T. Besiroglu, E. Erdil, M. Barnett, J. You (Epoch AI), \
                    \"Chinchilla Scaling: A replication attempt\", arXiv:2404.10102 (2024): \
                    E = 1.8169, A = 482.01, B = 2085.43, α = 0.3478, β = 0.3658.",
                Form::Chinchilla,
                vec![1.8169, 482.01, 2085.43, 0.3478, 0.3658],
            ),
        };
        Preset {
            id: self,
            title,
            citation,
            law: Published { form, params },
        }
    }
}

/// A law with its numbers: a fit to the user's data (with its uncertainty) or a published
/// law. The calculator, the plot, the exports and the CLI ask it every question.
#[derive(Clone, Debug)]
pub struct Model<'a> {
    form: Form,
    params: Cow<'a, [f64]>,
    fit: Option<&'a Fit>,
}

/// A predicted loss, with the 95 % confidence band of the mean when the model has one.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Prediction {
    /// The predicted loss.
    pub loss: f64,
    /// 95 % confidence band of the mean (fits with a covariance only; [`Fit::band95`]).
    pub band95: Option<(f64, f64)>,
    /// 95 % prediction interval of a new run (fits with a covariance and their residuals
    /// only; [`Fit::prediction95`]).
    pub pi95: Option<(f64, f64)>,
}

impl<'a> Model<'a> {
    /// The model of a fit.
    pub fn fitted(fit: &'a Fit) -> Self {
        Model {
            form: fit.form,
            params: Cow::Borrowed(&fit.params),
            fit: Some(fit),
        }
    }

    /// The model of a published law.
    pub fn published(law: &'a Published) -> Self {
        Model {
            form: law.form,
            params: Cow::Borrowed(&law.params),
            fit: None,
        }
    }

    /// A law with the given parameters (no uncertainty).
    pub fn of(form: Form, params: Vec<f64>) -> Self {
        Model {
            form,
            params: Cow::Owned(params),
            fit: None,
        }
    }

    /// The law.
    pub fn form(&self) -> Form {
        self.form
    }

    /// The parameters, in [`Form::param_names`] order.
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    /// The fit behind the model, if it is one.
    pub fn fit(&self) -> Option<&'a Fit> {
        self.fit
    }

    /// The inputs the law takes.
    pub fn inputs(&self) -> &'static [Input] {
        self.form.inputs()
    }

    /// Whether the law takes N and D.
    pub fn two_inputs(&self) -> bool {
        self.form.two_inputs()
    }

    /// The law's compute-optimal frontier, when it has one.
    fn frontier(&self) -> Result<&'static dyn Frontier, InvertError> {
        self.form.law().frontier().ok_or(InvertError::NoFrontier)
    }

    /// Whether the law has a compute-optimal frontier (a law of N and D).
    pub fn has_frontier(&self) -> bool {
        self.form.law().frontier().is_some()
    }

    /// The law with its numbers for people, e.g. `L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28`;
    /// `x` names a one-input law's input.
    pub fn formula(&self, x: &str) -> String {
        crate::format::law(self.form, &self.params, x)
    }

    /// The loss predicted at input `x` (N for a law of N and D) and `d` tokens for such a
    /// law, with the 95 % band of a fit.
    ///
    /// # Errors
    /// A non-positive or non-finite input where the law takes its log, a missing D for a
    /// law of N and D, or a prediction that is not finite.
    pub fn predict(&self, x: f64, d: Option<f64>) -> Result<Prediction, InvertError> {
        let two = self.two_inputs();
        let logs = self.form.law().logs_inputs();
        let check = |name: &'static str, v: f64| {
            if v.is_finite() && (!logs || v > 0.0) {
                Ok(v)
            } else {
                Err(InvertError::BadArgument { name, value: v })
            }
        };
        let x = check(if two { "N" } else { "x" }, x)?;
        let d = if two {
            Some(check("D", d.unwrap_or(f64::NAN))?)
        } else {
            None
        };
        let loss = self.form.eval(&self.params, x, d);
        if !loss.is_finite() {
            return Err(InvertError::BadArgument {
                name: "x",
                value: x,
            });
        }
        let finite = |(lo, hi): (f64, f64)| (lo.is_finite() && hi.is_finite()).then_some((lo, hi));
        let band95 = self.fit.and_then(|f| finite(f.band95(x, d)));
        let pi95 = self.fit.and_then(|f| finite(f.prediction95(x, d)));
        Ok(Prediction { loss, band95, pi95 })
    }

    /// The input needed to reach `target` for a one-input law, with a fit's 95 % interval
    /// (a published law has none: `(NaN, NaN)`).
    ///
    /// # Errors
    /// [`InvertError::NotOneInput`] for a law of N and D (use the frontier),
    /// [`InvertError::Unreachable`] when the law never reaches the target.
    pub fn required(&self, target: f64) -> Result<Required, InvertError> {
        if self.two_inputs() {
            return Err(InvertError::NotOneInput);
        }
        match self.fit {
            Some(f) => f.required_x(target),
            None => crate::invert::inverse(self.form, &self.params, target).map(|x| Required {
                target,
                x,
                ci95: (f64::NAN, f64::NAN),
            }),
        }
    }

    /// The compute-optimal N and D for `compute` FLOP (`C = 6ND`) and the loss there.
    ///
    /// # Errors
    /// [`InvertError::NoFrontier`] for a one-input law; non-positive compute or invalid
    /// constants.
    pub fn optimal_allocation(&self, compute: f64) -> Result<Allocation, InvertError> {
        self.frontier()?.optimal_allocation(&self.params, compute)
    }

    /// 95 % intervals of [`Model::optimal_allocation`] for a fit with a covariance: N*, D*
    /// and D*/N* by the delta method on their logarithms, the loss from the fit's band at
    /// (N*, D*) (see `allocation_ci.rs`). `None` for a published law or a fit without a
    /// covariance.
    ///
    /// # Errors
    /// Those of [`Model::optimal_allocation`].
    pub fn optimal_ci95(&self, compute: f64) -> Result<Option<AllocationCi>, InvertError> {
        let frontier = self.frontier()?;
        match self.fit {
            Some(f) => crate::allocation_ci::optimal_ci95(f, frontier, compute),
            None => frontier
                .optimal_allocation(&self.params, compute)
                .map(|_| None),
        }
    }

    /// 95 % intervals of [`Model::compute_for_loss`] for a fit with a covariance: the
    /// compute by inverting the band of the frontier's loss (every budget at which the
    /// target lies inside it; `+∞` above when the target may never be reached at this
    /// confidence), N and D from the lower bound of the split at the lower compute to the
    /// upper bound at the upper one. `None` for a published law or a fit without a
    /// covariance.
    ///
    /// # Errors
    /// Those of [`Model::compute_for_loss`].
    pub fn compute_for_loss_ci95(&self, loss: f64) -> Result<Option<AllocationCi>, InvertError> {
        let frontier = self.frontier()?;
        match self.fit {
            Some(f) => crate::allocation_ci::compute_for_loss_ci95(f, frontier, loss),
            None => frontier.compute_for_loss(&self.params, loss).map(|_| None),
        }
    }

    /// The least compute that reaches `loss`, with its optimal allocation.
    ///
    /// # Errors
    /// [`InvertError::NoFrontier`] for a one-input law; [`InvertError::Unreachable`] at or
    /// below the law's floor.
    pub fn compute_for_loss(&self, loss: f64) -> Result<Allocation, InvertError> {
        self.frontier()?.compute_for_loss(&self.params, loss)
    }

    /// Tokens a model of `n` parameters needs to reach `loss`.
    ///
    /// # Errors
    /// [`InvertError::NoFrontier`] for a one-input law; [`InvertError::Unreachable`] when
    /// even unlimited data leaves the loss above the target.
    pub fn tokens_for_loss(&self, n: f64, loss: f64) -> Result<f64, InvertError> {
        self.frontier()?.tokens_for_loss(&self.params, n, loss)
    }

    /// The fewest parameters that reach `loss`: exact for a one-input law of N, with
    /// unlimited data for a law of N and D.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] at or below the law's floor.
    pub fn min_params_for_loss(&self, loss: f64) -> Result<f64, InvertError> {
        match self.form.law().frontier() {
            Some(f) => f.min_params_for_loss(&self.params, loss),
            None => self.required(loss).map(|r| r.x),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, rel: f64) -> bool {
        (a / b - 1.0).abs() < rel
    }

    fn law(id: PresetId) -> Published {
        id.preset().law
    }

    /// Relative tolerance against the mpmath references.
    const TOL: f64 = 1e-12;

    /// A value from `presets/references.txt`, written by
    /// `scripts/mpmath/preset_references.py` at 40 digits from the papers' constants.
    fn reference(name: &str) -> f64 {
        include_str!("presets/references.txt")
            .lines()
            .filter_map(|l| l.split_once(' '))
            .find(|(k, _)| *k == name)
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or_else(|| panic!("no reference {name}"))
    }

    /// Epoch AI's fit at full precision (the allocation vectors of issue 3).
    const EPOCH_FULL: [f64; 5] = [1.816864, 482.0057, 2085.4342, 0.3478130, 0.3658541];

    #[test]
    fn keys_round_trip_and_every_preset_cites_its_source() {
        for id in PresetId::ALL {
            assert_eq!(PresetId::from_key(id.key()), Some(id));
            let p = id.preset();
            assert_eq!(p.id, id);
            assert!(p.citation.contains("arXiv:"), "{}", p.citation);
            assert_eq!(p.law.params.len(), p.law.form.n_params());
        }
        assert_eq!(PresetId::from_key("nope"), None);
        let k = law(PresetId::Kaplan2020N);
        assert!(!Model::published(&k).two_inputs());
        assert!(Model::published(&law(PresetId::Epoch2024)).two_inputs());
        // (8.8e13)^0.076 = e^(0.076·32.108) = e^2.44021 = 11.476.
        assert_eq!(Model::published(&k).formula("N"), "L = 11.48·N^−0.076");
        assert_eq!(
            Model::published(&law(PresetId::Hoffmann2022)).formula("N"),
            "L = 1.69 + 406.4/N^0.34 + 410.7/D^0.28"
        );
    }

    #[test]
    fn kaplan_n_forward_and_inverse() {
        let k = law(PresetId::Kaplan2020N);
        let l = Model::published(&k);
        // (8.8e13/1e9)^0.076 = exp(0.076 · ln 88 000) = exp(0.076 · 11.385092) = e^0.8652670
        // = 2.375640.
        let at_1b = l.predict(1e9, None).unwrap().loss;
        assert!(close(at_1b, reference("kaplan_n.loss_1e9"), TOL), "{at_1b}");
        // 70B: (8.8e13/7e10)^0.076 = 1257.14^0.076 = 1.720098.
        assert!(close(
            l.predict(7e10, None).unwrap().loss,
            reference("kaplan_n.loss_7e10"),
            TOL
        ));
        // N = N_c · L^(−1/α_N): 8.8e13 · 2.5^(−13.1579) = 5.110106e8.
        let n = l.min_params_for_loss(2.5).unwrap();
        assert!(close(n, reference("kaplan_n.params_for_2.5"), TOL), "{n}");
        assert!(close(l.min_params_for_loss(at_1b).unwrap(), 1e9, 1e-12));
        assert!(matches!(
            l.min_params_for_loss(0.0),
            Err(InvertError::Unreachable { .. })
        ));
        assert!(matches!(
            l.predict(-1.0, None),
            Err(InvertError::BadArgument { name: "x", .. })
        ));
        assert!(!l.has_frontier());
        assert_eq!(l.optimal_allocation(1e24), Err(InvertError::NoFrontier));
    }

    #[test]
    fn kaplan_nd_forward_and_inverse() {
        let law = law(PresetId::Kaplan2020ND);
        let k = Model::published(&law);
        // r = 0.076/0.103 = 0.737864; (6.4e13/1e9)^r = 64 000^r = 3535.71;
        // 1.8e13/2e10 = 900; (4435.71)^0.103 = 2.373882.
        let l = k.predict(1e9, Some(2e10)).unwrap().loss;
        assert!(close(l, reference("kaplan_nd.loss_1e9_2e10"), TOL), "{l}");
        // D for N = 1e10 and L = 2.3: 1.8e13 / (2.3^(1/0.103) − (6400)^r) = 6.904659e9.
        let d = k.tokens_for_loss(1e10, 2.3).unwrap();
        assert!(close(d, reference("kaplan_nd.tokens_1e10_2.3"), TOL), "{d}");
        assert!(close(k.predict(1e10, Some(d)).unwrap().loss, 2.3, 1e-12));
        // Below the infinite-data loss of N = 1e10 ((6.4e13/1e10)^0.076 = 1.946): unreachable.
        assert!(matches!(
            k.tokens_for_loss(1e10, 1.9),
            Err(InvertError::Unreachable { .. })
        ));
        // Fewest parameters for L = 2 with unlimited data: 6.4e13 · 2^(−1/0.076) = 7.0026e9.
        let n = k.min_params_for_loss(2.0).unwrap();
        assert!(close(n, reference("kaplan_nd.params_for_2"), TOL), "{n}");
        assert!(matches!(
            k.predict(1e9, None),
            Err(InvertError::BadArgument { name: "D", .. })
        ));
    }

    #[test]
    fn kaplan_nd_frontier_is_the_minimum_and_inverts() {
        let law = law(PresetId::Kaplan2020ND);
        let k = Model::published(&law);
        let loss = |n: f64, d: f64| k.predict(n, Some(d)).unwrap().loss;
        // N* = (r·N_c^r·C/(6·D_c))^(1/(1+r)) at C = 1e24: 3.317647e11, D* = C/6N* = 5.023641e11.
        let at = k.optimal_allocation(1e24).unwrap();
        assert!(
            close(at.n, reference("kaplan_nd.opt_1e24.n"), TOL),
            "{}",
            at.n
        );
        assert!(
            close(at.d, reference("kaplan_nd.opt_1e24.d"), TOL),
            "{}",
            at.d
        );
        assert!(
            close(at.loss, reference("kaplan_nd.opt_1e24.loss"), TOL),
            "{}",
            at.loss
        );
        assert!(close(6.0 * at.n * at.d, 1e24, 1e-12));
        // It is the minimum along C = 6ND: ±1 % in N only raises the loss.
        for f in [0.99, 1.01] {
            let n = at.n * f;
            assert!(loss(n, 1e24 / (6.0 * n)) > at.loss);
        }
        // The compute for L = 2: N* = N_c·((1+r)/2^(1/α_D))^(1/r) = 1.480961e10, C = 4.501792e21.
        let back = k.compute_for_loss(2.0).unwrap();
        assert!(
            close(back.n, reference("kaplan_nd.for_loss_2.n"), TOL),
            "{}",
            back.n
        );
        assert!(
            close(back.compute, reference("kaplan_nd.for_loss_2.compute"), TOL),
            "{}",
            back.compute
        );
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
        let at = Model::of(Form::Chinchilla, EPOCH_FULL.to_vec())
            .optimal_allocation(1e24)
            .unwrap();
        assert_eq!(format!("{:.3e}", at.n), "9.601e10");
        assert_eq!(format!("{:.3e}", at.d), "1.736e12");
        assert!((at.loss - 1.9592).abs() < 5e-5, "{}", at.loss);
        // The preset's rounded constants: N* = 9.586e10, D* = 1.739e12, L = 1.95941.
        let e = law(PresetId::Epoch2024);
        let at = Model::published(&e).optimal_allocation(1e24).unwrap();
        assert!(close(at.n, reference("epoch.opt_1e24.n"), TOL), "{}", at.n);
        assert!(close(at.d, reference("epoch.opt_1e24.d"), TOL), "{}", at.d);
        assert!(
            close(at.loss, reference("epoch.opt_1e24.loss"), TOL),
            "{}",
            at.loss
        );
    }

    #[test]
    fn hoffmann_preset() {
        let law = law(PresetId::Hoffmann2022);
        let h = Model::published(&law);
        // Chinchilla's budget 5.88e23: N* = 3.249e10, D* = 3.016e12, L = 1.92999.
        let at = h.optimal_allocation(5.88e23).unwrap();
        assert!(
            close(at.n, reference("hoffmann.opt_5.88e23.n"), TOL),
            "{}",
            at.n
        );
        assert!(
            close(at.d, reference("hoffmann.opt_5.88e23.d"), TOL),
            "{}",
            at.d
        );
        assert!(
            close(at.loss, reference("hoffmann.opt_5.88e23.loss"), TOL),
            "{}",
            at.loss
        );
        // Chinchilla itself: 1.69 + 406.4/(7e10)^0.34 + 410.7/(1.4e12)^0.28 = 1.936645.
        assert!(close(
            h.predict(7e10, Some(1.4e12)).unwrap().loss,
            reference("hoffmann.loss_7e10_1.4e12"),
            TOL
        ));
        // Unlimited data, L = 2: N = (406.4/0.31)^(1/0.34) = 1.477026e9.
        let n = h.min_params_for_loss(2.0).unwrap();
        assert!(close(n, reference("hoffmann.params_for_2"), TOL), "{n}");
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
        let bad = Model::of(Form::KaplanNd, vec![6.4e13, 1.8e13, 0.0, 0.103]);
        assert!(matches!(
            bad.optimal_allocation(1e24),
            Err(InvertError::BadParams(_))
        ));
        assert!(matches!(
            bad.compute_for_loss(2.0),
            Err(InvertError::BadParams(_))
        ));
        let bad = Model::of(Form::Chinchilla, vec![1.69, -406.4, 410.7, 0.34, 0.28]);
        assert!(matches!(
            bad.optimal_allocation(1e24),
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
        let m = Model::fitted(&f);
        assert!(!m.two_inputs());
        assert!(!m.has_frontier());
        let r = m.required(10.0).unwrap();
        assert!(close(r.x, 1_048_576.0, 1e-9), "{}", r.x);
        assert_eq!(r, f.required_x(10.0).unwrap());
        let p = m.predict(1e8, None).unwrap();
        assert!(close(p.loss, 40.0 * 1e8f64.powf(-0.1), 1e-12));
        assert!(matches!(
            m.predict(0.0, None),
            Err(InvertError::BadArgument { name: "x", .. })
        ));

        // Kaplan L(N) as a model: the law's inverse, no interval.
        let kl = law(PresetId::Kaplan2020N);
        let k = Model::published(&kl);
        let r = k.required(2.5).unwrap();
        assert!(close(r.x, reference("kaplan_n.params_for_2.5"), TOL));
        assert!(r.ci95.0.is_nan() && r.ci95.1.is_nan());
        assert_eq!(k.predict(1e9, None).unwrap().band95, None);

        // Two-input presets answer through the frontier, not `required`.
        let el = law(PresetId::Epoch2024);
        let e = Model::published(&el);
        assert_eq!(e.required(2.0), Err(InvertError::NotOneInput));
        assert!(e.has_frontier());
        assert!(close(
            e.predict(7e10, Some(1.4e12)).unwrap().loss,
            1.8169 + 482.01 * 7e10f64.powf(-0.3478) + 2085.43 * 1.4e12f64.powf(-0.3658),
            1e-14
        ));
    }

    #[test]
    fn a_chinchilla_fit_is_a_two_input_model() {
        let truth = Model::of(Form::Chinchilla, EPOCH_FULL.to_vec());
        let loss = |n: f64, d: f64| truth.predict(n, Some(d)).unwrap().loss;
        let mut n = vec![];
        let mut d = vec![];
        let mut y = vec![];
        for ni in [1e8, 3e8, 1e9, 3e9, 1e10] {
            for di in [2e9, 1e10, 5e10, 2e11] {
                n.push(ni);
                d.push(di);
                y.push(loss(ni, di));
            }
        }
        let points = crate::Points {
            x: n,
            d: Some(d),
            y,
            weights: None,
        };
        let f = fitted(Form::Chinchilla, &points);
        let m = Model::fitted(&f);
        assert!(m.two_inputs());
        let at = m.optimal_allocation(1e24).unwrap();
        let want = truth.optimal_allocation(1e24).unwrap();
        assert!(close(at.n, want.n, 1e-5), "{} vs {}", at.n, want.n);
        let pred = m.predict(1e9, Some(1e10)).unwrap();
        assert!(close(pred.loss, loss(1e9, 1e10), 1e-6), "{}", pred.loss);
        assert!(pred.band95.is_some());
        assert!(matches!(
            m.predict(1e9, None),
            Err(InvertError::BadArgument { name: "D", .. })
        ));
        assert_eq!(m.required(2.0), Err(InvertError::NotOneInput));
    }
}
