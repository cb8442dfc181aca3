//! Fit configuration: form, objective and search mode.

use crate::{Form, Objective};

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
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FitOptions {
    /// The form.
    pub form: Form,
    /// The objective; `None` means [`Objective::default_for`] the form.
    pub objective: Option<Objective>,
    /// The search mode.
    pub mode: FitMode,
}

impl FitOptions {
    /// Options for `form` with its default objective and mode.
    pub fn new(form: Form) -> Self {
        FitOptions {
            form,
            objective: None,
            mode: FitMode::Default,
        }
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
