//! Objectives: what "best fit" means (least squares or Huber, in linear or log space).

use crate::Form;
use std::fmt;
use std::str::FromStr;

/// The loss minimised by a fit. Residuals are `y − ŷ` (linear) or `ln y − ln ŷ` (log);
/// weights, when given, multiply each point's term.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Objective {
    /// Sum of squared residuals `Σ w·(y − ŷ)²`.
    Ls,
    /// Sum of squared log residuals `Σ w·(ln y − ln ŷ)²`.
    LsLog,
    /// Sum (not mean) of Huber(δ) of the linear residuals.
    Huber {
        /// Threshold between the quadratic and the linear part.
        delta: f64,
    },
    /// Sum (not mean) of Huber(δ) of the log residuals (Hoffmann et al. used δ = 1e-3).
    HuberLog {
        /// Threshold between the quadratic and the linear part.
        delta: f64,
    },
    /// A lower envelope: squared log residuals, with the points below the curve (the law
    /// over-predicts them) weighted by λ ≥ 1. Fits the best achievable loss when some runs
    /// were under-tuned and sit above it.
    AsymLog {
        /// The weight λ of points below the curve.
        lambda: f64,
    },
}

/// The error of parsing an [`Objective`] from text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseObjectiveError {
    /// Not one of the known names.
    #[error("unknown objective '{0}': expected ls, ls-log, huber:δ, huber-log:δ or asym-log:λ")]
    Unknown(String),
    /// The Huber threshold is not a positive finite number.
    #[error("Huber threshold '{0}' must be a positive number, e.g. huber-log:0.001")]
    BadDelta(String),
    /// The lower-envelope weight is not a finite number of at least 1.
    #[error("the weight of points below the curve '{0}' must be a number ≥ 1, e.g. asym-log:10")]
    BadLambda(String),
}

impl Objective {
    /// The default objective a user meets for `form` (the law's own choice: least squares
    /// where a closed form exists, `huber-log:1e-3` for the laws with a floor, as Hoffmann
    /// et al. and Epoch AI).
    pub fn default_for(form: Form) -> Objective {
        form.law().default_objective()
    }

    /// Whether residuals are taken in log space.
    pub fn is_log(self) -> bool {
        matches!(
            self,
            Objective::LsLog | Objective::HuberLog { .. } | Objective::AsymLog { .. }
        )
    }

    /// Whether the objective is not plain least squares, so that a least-squares optimum
    /// is only a start and a Newton polish on the objective itself follows.
    pub fn needs_polish(self) -> bool {
        matches!(
            self,
            Objective::Huber { .. } | Objective::HuberLog { .. } | Objective::AsymLog { .. }
        )
    }

    /// The Huber threshold, if this is a Huber objective.
    pub fn huber_delta(self) -> Option<f64> {
        match self {
            Objective::Huber { delta } | Objective::HuberLog { delta } => Some(delta),
            _ => None,
        }
    }

    /// Loss of one fit-space residual `r = ŷ − y` (or `ln ŷ − ln y`): `r²` for least
    /// squares, Huber(δ) (`r²/2` inside δ, `δ(|r| − δ/2)` outside, as
    /// `scipy.special.huber`), and `λr²` for `r > 0` (a point below the curve) under
    /// `asym-log:λ`.
    pub fn rho(self, r: f64) -> f64 {
        if let Objective::AsymLog { lambda } = self {
            return if r > 0.0 { lambda * r * r } else { r * r };
        }
        match self.huber_delta() {
            None => r * r,
            Some(d) => {
                let a = r.abs();
                if a <= d {
                    0.5 * r * r
                } else {
                    d * (a - 0.5 * d)
                }
            }
        }
    }

    /// Derivative of [`Objective::rho`] with respect to the residual.
    pub fn rho_prime(self, r: f64) -> f64 {
        if let Objective::AsymLog { lambda } = self {
            return if r > 0.0 { 2.0 * lambda * r } else { 2.0 * r };
        }
        match self.huber_delta() {
            None => 2.0 * r,
            Some(d) => r.clamp(-d, d),
        }
    }
}

impl Objective {
    /// Second derivative of [`Objective::rho`] (Huber: 1 inside δ, 0 outside).
    pub fn rho_second(self, r: f64) -> f64 {
        if let Objective::AsymLog { lambda } = self {
            return if r > 0.0 { 2.0 * lambda } else { 2.0 };
        }
        match self.huber_delta() {
            None => 2.0,
            Some(d) => {
                if r.abs() <= d {
                    1.0
                } else {
                    0.0
                }
            }
        }
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Objective::Ls => f.write_str("ls"),
            Objective::LsLog => f.write_str("ls-log"),
            Objective::Huber { delta } => write!(f, "huber:{delta}"),
            Objective::HuberLog { delta } => write!(f, "huber-log:{delta}"),
            Objective::AsymLog { lambda } => write!(f, "asym-log:{lambda}"),
        }
    }
}

impl FromStr for Objective {
    type Err = ParseObjectiveError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_lowercase();
        let parse_delta = |v: &str| -> Result<f64, ParseObjectiveError> {
            match crate::float::parse_f64(v.trim()) {
                Some(d) if d.is_finite() && d > 0.0 => Ok(d),
                _ => Err(ParseObjectiveError::BadDelta(v.trim().to_string())),
            }
        };
        match t.as_str() {
            "ls" => Ok(Objective::Ls),
            "ls-log" => Ok(Objective::LsLog),
            "huber" => Ok(Objective::Huber { delta: 1e-3 }),
            "huber-log" => Ok(Objective::HuberLog { delta: 1e-3 }),
            "asym-log" => Err(ParseObjectiveError::BadLambda(String::new())),
            _ => {
                if let Some(v) = t.strip_prefix("asym-log:") {
                    match crate::float::parse_f64(v.trim()) {
                        Some(l) if l.is_finite() && l >= 1.0 => {
                            Ok(Objective::AsymLog { lambda: l })
                        }
                        _ => Err(ParseObjectiveError::BadLambda(v.trim().to_string())),
                    }
                } else if let Some(v) = t.strip_prefix("huber-log:") {
                    Ok(Objective::HuberLog {
                        delta: parse_delta(v)?,
                    })
                } else if let Some(v) = t.strip_prefix("huber:") {
                    Ok(Objective::Huber {
                        delta: parse_delta(v)?,
                    })
                } else {
                    Err(ParseObjectiveError::Unknown(s.trim().to_string()))
                }
            }
        }
    }
}
