//! Fit configuration: form, objective and search mode.

use crate::fit::Pins;
use crate::{FitError, Form, Objective};

/// How the optimum is searched for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FitMode {
    /// Structure-aware starts (closed form, or variable projection) then a Newton polish.
    #[default]
    Default,
    /// The Hoffmann et al. / Epoch AI protocol: L-BFGS from the 4500-start grid
    /// (chinchilla; other forms fall back to [`FitMode::Default`]).
    Grid,
}

/// What to fit and how.
#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    /// The form.
    pub form: Form,
    /// The objective; `None` means [`Objective::default_for`] the form.
    pub objective: Option<Objective>,
    /// The search mode.
    pub mode: FitMode,
    /// Parameters held at a value instead of fitted (`E = 1.69` from a larger study), by
    /// name as in [`Form::param_names`].
    pub fixed: Vec<(String, f64)>,
}

impl FitOptions {
    /// Options for `form` with its default objective and mode.
    pub fn new(form: Form) -> Self {
        FitOptions {
            form,
            objective: None,
            mode: FitMode::Default,
            fixed: Vec::new(),
        }
    }

    /// Hold parameter `name` at `value`.
    #[must_use]
    pub fn with_fixed(mut self, name: impl Into<String>, value: f64) -> Self {
        self.fixed.push((name.into(), value));
        self
    }

    /// The pins of `form`'s parameters.
    ///
    /// # Errors
    /// [`FitError::UnknownParam`] for a name the law does not have,
    /// [`FitError::BadPin`] for a value that is not finite (or not positive where the law
    /// needs it positive).
    pub(crate) fn pins_for(&self, form: Form) -> Result<Pins, FitError> {
        let params = form.law().params();
        let mut values = vec![None; params.len()];
        for (name, value) in &self.fixed {
            let Some(k) = params.iter().position(|p| p.name == name.as_str()) else {
                return Err(FitError::UnknownParam {
                    name: name.clone(),
                    form,
                });
            };
            if !value.is_finite() || (params[k].positive && *value <= 0.0) {
                return Err(FitError::BadPin {
                    name: name.clone(),
                    value: *value,
                    positive: params[k].positive,
                });
            }
            values[k] = Some(*value);
        }
        Ok(Pins::new(values))
    }

    /// Use objective `o`.
    #[must_use]
    pub fn with_objective(mut self, o: Objective) -> Self {
        self.objective = Some(o);
        self
    }

    /// Use search mode `m`.
    #[must_use]
    pub fn with_mode(mut self, m: FitMode) -> Self {
        self.mode = m;
        self
    }

    /// The objective in effect.
    pub fn effective_objective(&self) -> Objective {
        self.objective
            .unwrap_or_else(|| Objective::default_for(self.form))
    }
}
