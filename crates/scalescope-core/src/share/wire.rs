//! The wire types: what a link carries, written by hand for the link and converted by hand
//! from the page's state and the CLI's options (no `Serialize` on core types).

use crate::presets::PresetId;
use crate::table::Role;
use crate::{FitMode, Form, Lines, Objective, Termination};

/// What a link carries: the whole work, or only the fitted laws.
#[derive(Clone, Debug, PartialEq)]
pub enum Link {
    /// Data and every choice made about it: opening it refits to identical numbers.
    Full(FullState),
    /// Fitted laws (parameters and covariance) without the data: small enough for a chat.
    FitOnly(FitOnly),
}

/// The whole state of a fit: the table's text and every choice made about it.
#[derive(Clone, Debug, PartialEq)]
pub struct FullState {
    /// The table as text, exactly as typed, pasted or loaded.
    pub csv: String,
    /// The built-in example the text came from ([`crate::examples::ExampleId::key`]), if any.
    pub example: Option<String>,
    /// Column roles chosen by the user over the reader's guesses: (0-based column, role),
    /// in the order they were chosen.
    pub roles: Vec<(usize, Role)>,
    /// Source lines (1-based) left out of the fit.
    pub excluded: Lines,
    /// The law.
    pub form: Form,
    /// The objective; `None` is the form's default.
    pub objective: Option<Objective>,
    /// Default or grid search.
    pub mode: FitMode,
    /// Fit each group separately.
    pub per_group: bool,
    /// How the result is looked at: axis, calculator inputs, theme.
    pub view: View,
    /// Parameters held at a value (format 2 on; empty in older links).
    pub fixed: Vec<(String, f64)>,
}

impl FullState {
    /// A state for `csv` with defaults for everything else (power form, per group).
    pub fn new(csv: impl Into<String>, form: Form) -> Self {
        FullState {
            csv: csv.into(),
            example: None,
            roles: Vec::new(),
            excluded: Lines::new(),
            form,
            objective: None,
            mode: FitMode::Default,
            per_group: true,
            view: View::default(),
            fixed: Vec::new(),
        }
    }
}

/// Fitted laws without their data.
#[derive(Clone, Debug, PartialEq)]
pub struct FitOnly {
    /// The name of the (first) input, for formulas and the calculator (e.g. `params`).
    pub x_name: String,
    /// One law per group.
    pub fits: Vec<SharedFit>,
    /// How the result is looked at: axis, calculator inputs, theme.
    pub view: View,
}

/// One fitted law as a link carries it.
#[derive(Clone, Debug, PartialEq)]
pub struct SharedFit {
    /// The group's name, `None` for an ungrouped table.
    pub group: Option<String>,
    /// The law.
    pub form: Form,
    /// The objective it was fitted with.
    pub objective: Objective,
    /// Parameters in [`Form::param_names`] order (exactly `form.n_params()` of them).
    pub params: Vec<f64>,
    /// The upper triangle of the parameter covariance, row by row (k·(k+1)/2 values), when
    /// the fit had one.
    pub covariance: Option<Vec<f64>>,
    /// Number of points fitted.
    pub n: usize,
    /// Degrees of freedom (for the Student-t intervals).
    pub dof: usize,
    /// Which parameters were held rather than fitted (format 2 on; all `false` in older
    /// links).
    pub pinned: Vec<bool>,
    /// Why the sharer's optimiser stopped (format 3 on; `None` in older links, which did not
    /// say).
    pub termination: Option<Termination>,
    /// The sharer's warnings for this fit (format 3 on; empty in older links).
    pub warnings: Vec<String>,
}

/// View choices and calculator inputs, shared by both kinds of link.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct View {
    /// What the plot's x axis shows (two-input laws).
    pub x_axis: Axis,
    /// The calculator's target.
    pub target: Option<Target>,
    /// The calculator's compute budget in FLOP.
    pub compute_budget: Option<f64>,
    /// The theme the sharer saw; `None` leaves the viewer's preference.
    pub theme: Option<Theme>,
    /// The published law drawn over the data and tested against the fit (format 5 on).
    pub overlay: Option<PresetId>,
    /// The backtest's "hold out the K largest scales", when it is on (format 5 on).
    pub backtest: Option<usize>,
    /// Parameters fitted jointly across groups, one value shared by all (format 5 on).
    pub shared: Vec<String>,
    /// Two groups compared by their compute multiplier: (baseline, other) (format 5 on).
    pub compare: Option<(String, String)>,
}

/// The plot's x axis for two-input laws.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Axis {
    /// Parameters N (or the single input).
    #[default]
    N,
    /// Tokens D.
    D,
    /// Compute C = 6ND.
    C,
}

/// A calculator target, in the unit the user gave it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Target {
    /// A loss in nats.
    Loss(f64),
    /// A perplexity (loss = ln ppl).
    Perplexity(f64),
}

impl Target {
    /// The target as a loss in nats.
    pub fn loss(self) -> f64 {
        match self {
            Target::Loss(l) => l,
            Target::Perplexity(p) => crate::units::ppl_to_loss(p),
        }
    }
}

/// Light or dark.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    /// Dark text on white.
    Light,
    /// Light text on dark.
    Dark,
}
