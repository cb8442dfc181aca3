//! The scaling laws: one file per law, and the registry that names them.
//!
//! A law says everything about itself in one place, as an implementation of [`Law`]: its
//! name and aliases, its parameters (and which must be positive), its inputs and the roles
//! they take, its value and derivatives, where a fit should start, its inverse, its
//! compute-optimal frontier when it has N and D, its formula as text, LaTeX and numpy, and
//! its default objective. Everything outside this module asks the law; only the registry
//! ([`Form`]) and the published presets name a particular one.
//!
//! [`Form`] is the registry: a `Copy` name for each built-in law that travels in links and
//! worker messages as a one-byte tag (its position in [`Form::ALL`], so new laws are added
//! at the end), and [`Form::law`] is the law itself.

mod bnsl;
mod chinchilla;
pub mod custom;
mod exponential;
mod kaplan_nd;
mod log;
mod power;
mod quadlog;
mod saturating;
pub(crate) mod shared;

use crate::chinchilla::Allocation;
pub use crate::fit::FormModel;
use crate::{InvertError, Objective};
use std::fmt;
use std::str::FromStr;

/// A law's parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Param {
    /// Its name, as in the CLI's `--fix NAME=VALUE` and the fit table.
    pub name: &'static str,
    /// Whether the law only makes sense with this parameter positive; the optimiser then
    /// works on its logarithm.
    pub positive: bool,
}

/// The role an input of a law takes in a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    /// The one input of a one-input law: whichever scale column the table has (x, N, D or C).
    X,
    /// Parameters N.
    N,
    /// Training tokens D.
    D,
}

impl Input {
    /// The input's name in formulas and error messages.
    pub fn name(self) -> &'static str {
        match self {
            Input::X => "x",
            Input::N => "N",
            Input::D => "D",
        }
    }
}

/// One point's inputs in the law's [`Law::inputs`] order, with their natural logarithms
/// (NaN where an input is not positive). The logarithms are taken once per fit, so a power
/// term costs one `exp`.
#[derive(Clone, Copy, Debug)]
pub struct At<'a> {
    /// The inputs.
    pub x: &'a [f64],
    /// `ln` of each input.
    pub ln: &'a [f64],
}

/// How a formula is written out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// For people: `L = 1.82 + 482/N^0.348 + 2085/D^0.366` (4 significant digits).
    Text,
    /// A LaTeX equation with the numbers: `L(N) = 1.69 + \frac{406.4}{N^{0.34}}`.
    Latex,
}

/// The regressor `z` of a log-linear law `ln ŷ = ln p0 + p1·z` ([`Law::log_linear`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regressor {
    /// `z = ln x` (the power law).
    LnX,
    /// `z = x` (the exponential law).
    X,
}

/// A scaling law.
///
/// Implementations are unit structs in this module's files; [`Form::law`] hands them out.
/// Methods with a default are the generic answer (a numeric inverse, no closed form, no
/// frontier); a law overrides them where it knows better.
pub trait Law: Sync {
    /// The stable lower-case name used by the CLI and links (`saturating`).
    fn name(&self) -> &'static str;
    /// Other names the CLI accepts.
    fn aliases(&self) -> &'static [&'static str] {
        &[]
    }
    /// Parameters, in the order of [`Fit::params`](crate::Fit::params).
    fn params(&self) -> &'static [Param];
    /// Inputs, in the order of [`At::x`].
    fn inputs(&self) -> &'static [Input];
    /// The law in symbols, e.g. `y = E + A·x^(−alpha)`.
    fn formula(&self) -> &'static str;
    /// The objective a user gets unless they choose one.
    fn default_objective(&self) -> Objective;
    /// Whether the law takes the logarithm of its inputs (so they must be positive).
    fn logs_inputs(&self) -> bool {
        true
    }

    /// The law's value at `at`, and its gradient with respect to the parameters in `g`
    /// (length `params().len()`) when asked.
    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64;

    /// Second derivatives of the value with respect to the parameters, row-major into `h`
    /// (`k × k`). `false` when the law does not provide them (the Huber polish then
    /// differences the gradient).
    fn hessian(&self, _p: &[f64], _at: At, _h: &mut [f64]) -> bool {
        false
    }

    /// Whether `ln ŷ = ln p0 + p1·z` (the power and exponential laws), whose log-space
    /// residuals then cost no `exp`. Returns the regressor `z` of the slope.
    fn log_linear(&self) -> Option<Regressor> {
        None
    }

    /// The exact optimum when the objective has one for this law (OLS after a transform).
    fn closed_form(&self, _model: &FormModel, _objective: Objective) -> Option<Vec<f64>> {
        None
    }

    /// Candidate starting points for the optimiser, best first.
    fn starts(&self, model: &FormModel, objective: Objective) -> Vec<Vec<f64>>;

    /// The input at which a one-input law reaches `target`.
    ///
    /// The default is a bracketed root search over `x ∈ [1e-30, 1e60]` on a log scale,
    /// refused unless the law is monotone there (checked on a grid).
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] when the law never reaches the target;
    /// [`InvertError::NotOneInput`] for a law of several inputs.
    fn inverse(&self, p: &[f64], target: f64) -> Result<f64, InvertError> {
        shared::monotone_inverse(self, p, target)
    }

    /// The compute-optimal frontier under `C = 6ND`, for a law of N and D.
    fn frontier(&self) -> Option<&dyn Frontier> {
        None
    }

    /// The law with the numbers `p`, for people or LaTeX; `x` names a one-input law's input.
    fn render(&self, p: &[f64], x: &str, style: Style) -> String;

    /// The value as a numpy expression of the parameter names and the inputs (`x`, or `N`
    /// and `D`), e.g. `E + A * x ** (-alpha)`.
    fn numpy(&self) -> &'static str;
}

/// The compute-optimal frontier of a law of parameters N and tokens D under `C = 6ND`.
///
/// The defaults are numeric (golden-section search over ln N, bisection over ln C) and work
/// for any such law whose loss falls with both N and D; a law overrides them with its
/// closed forms.
pub trait Frontier: Sync {
    /// The law's loss at N and D.
    fn loss(&self, p: &[f64], n: f64, d: f64) -> f64;

    /// The compute-optimal N and D for `compute` FLOP, and the loss there.
    ///
    /// # Errors
    /// Non-positive compute, or parameters for which no minimum exists.
    fn optimal_allocation(&self, p: &[f64], compute: f64) -> Result<Allocation, InvertError> {
        shared::numeric_allocation(self, p, compute)
    }

    /// The least compute that reaches `loss`, with its allocation.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] at or below the law's floor.
    fn compute_for_loss(&self, p: &[f64], loss: f64) -> Result<Allocation, InvertError> {
        shared::numeric_compute_for_loss(self, p, loss)
    }

    /// Tokens a model of `n` parameters needs to reach `loss`.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] when unlimited data leaves the loss above the target.
    fn tokens_for_loss(&self, p: &[f64], n: f64, loss: f64) -> Result<f64, InvertError> {
        shared::numeric_tokens_for_loss(self, p, n, loss)
    }

    /// The fewest parameters that reach `loss` with unlimited data.
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] at or below the floor.
    fn min_params_for_loss(&self, p: &[f64], loss: f64) -> Result<f64, InvertError> {
        shared::numeric_min_params(self, p, loss)
    }
}

/// A built-in law, by name: the registry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Form {
    /// `y = a·x^b`.
    Power,
    /// `y = a + b·ln x`.
    Log,
    /// `y = E + A·x^(−alpha)`.
    Saturating,
    /// `y = a·e^(b·x)`.
    Exponential,
    /// `y = E + A·N^(−alpha) + B·D^(−beta)`.
    Chinchilla,
    /// A broken power law with one break (Caballero et al. 2022).
    Bnsl,
    /// `ln y = a + b·ln x + c·(ln x)²`.
    Quadlog,
    /// Kaplan et al. 2020, eq. 1.5: `L = ((Nc/N)^(alphaN/alphaD) + Dc/D)^alphaD`.
    KaplanNd,
    /// A law the user typed ([`custom::CustomLaw`]); not in [`Form::ALL`].
    Custom(custom::Custom),
}

/// The error of parsing a [`Form`] from text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown law '{0}': expected one of {names}", names = Form::names())]
pub struct ParseFormError(pub String);

impl Form {
    /// The law for a table with two inputs (N and D) or one, when the user has not chosen:
    /// `current` if it takes that many inputs, else chinchilla for two and saturating for
    /// one. The CLI and the page both choose with this.
    pub fn for_inputs(two_inputs: bool, current: Option<Form>) -> Form {
        match current {
            Some(f) if f.two_inputs() == two_inputs => f,
            _ if two_inputs => Form::Chinchilla,
            _ => Form::Saturating,
        }
    }

    /// Every law, in menu order. A law's position is its tag in links: add at the end.
    pub const ALL: [Form; 8] = [
        Form::Power,
        Form::Log,
        Form::Saturating,
        Form::Exponential,
        Form::Chinchilla,
        Form::Bnsl,
        Form::Quadlog,
        Form::KaplanNd,
    ];

    /// The law itself.
    pub fn law(self) -> &'static dyn Law {
        match self {
            Form::Power => &power::Power,
            Form::Log => &log::Log,
            Form::Saturating => &saturating::Saturating,
            Form::Exponential => &exponential::Exponential,
            Form::Chinchilla => &chinchilla::Chinchilla,
            Form::Bnsl => &bnsl::Bnsl,
            Form::Quadlog => &quadlog::Quadlog,
            Form::KaplanNd => &kaplan_nd::KaplanNd,
            Form::Custom(c) => c.law(),
        }
    }

    /// Every name, comma-separated (for messages).
    pub fn names() -> String {
        Form::ALL.map(|f| f.name()).join(", ")
    }

    /// The stable lower-case name used by the CLI and share links.
    pub fn name(self) -> &'static str {
        self.law().name()
    }

    /// Parameter names, in the order of [`Fit::params`](crate::Fit::params).
    pub fn param_names(self) -> Vec<&'static str> {
        self.law().params().iter().map(|p| p.name).collect()
    }

    /// Number of parameters.
    pub fn n_params(self) -> usize {
        self.law().params().len()
    }

    /// The inputs the law takes.
    pub fn inputs(self) -> &'static [Input] {
        self.law().inputs()
    }

    /// Whether the law takes N and D (rather than one input).
    pub fn two_inputs(self) -> bool {
        self.inputs().len() == 2
    }

    /// The model as a human-readable formula.
    pub fn formula(self) -> &'static str {
        self.law().formula()
    }

    /// The law's value at `x` (and `d` for a law of N and D; ignored otherwise).
    ///
    /// NaN when `p` has the wrong length or a two-input law has no `d`.
    pub fn eval(self, p: &[f64], x: f64, d: Option<f64>) -> f64 {
        let law = self.law();
        if p.len() != law.params().len() {
            return f64::NAN;
        }
        with_at(law, x, d, |at| law.value(p, at, None))
    }

    /// Gradient of the value with respect to the parameters, written into `g`
    /// (length [`Form::n_params`]; NaN on a length mismatch).
    pub fn gradient(self, p: &[f64], x: f64, d: Option<f64>, g: &mut [f64]) {
        let law = self.law();
        if p.len() != law.params().len() || g.len() != p.len() {
            g.iter_mut().for_each(|v| *v = f64::NAN);
            return;
        }
        with_at(law, x, d, |at| law.value(p, at, Some(g)));
    }

    /// Which values the reader must refuse when fitting this law under `objective`: the
    /// inputs when the law takes their logarithm, the loss when the objective does. The same
    /// rule as [`crate::Points::validate`], so rows it would refuse are skipped with their
    /// line.
    pub fn positivity(self, objective: Objective) -> crate::table::Positivity {
        crate::table::Positivity {
            x: self.law().logs_inputs(),
            y: objective.is_log(),
        }
    }

    /// Second derivatives of the value, row-major into `h` (`k × k`); `false` when the
    /// law has none or the lengths do not match.
    pub fn hessian(self, p: &[f64], x: f64, d: Option<f64>, h: &mut [f64]) -> bool {
        let law = self.law();
        let k = law.params().len();
        if p.len() != k || h.len() != k * k {
            h.iter_mut().for_each(|v| *v = f64::NAN);
            return false;
        }
        h.iter_mut().for_each(|v| *v = 0.0);
        with_at(law, x, d, |at| law.hessian(p, at, h))
    }
}

/// Call `f` with the point `(x, d)` as the law's [`At`].
fn with_at<R>(law: &dyn Law, x: f64, d: Option<f64>, f: impl FnOnce(At) -> R) -> R {
    let two = law.inputs().len() == 2;
    let xs = [x, if two { d.unwrap_or(f64::NAN) } else { f64::NAN }];
    let ln = [xs[0].ln(), xs[1].ln()];
    let k = if two { 2 } else { 1 };
    f(At {
        x: &xs[..k],
        ln: &ln[..k],
    })
}

impl fmt::Display for Form {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Form {
    type Err = ParseFormError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        Form::ALL
            .into_iter()
            .find(|f| {
                let law = f.law();
                law.name().eq_ignore_ascii_case(t)
                    || law.aliases().iter().any(|a| a.eq_ignore_ascii_case(t))
            })
            .ok_or_else(|| ParseFormError(t.to_string()))
    }
}
