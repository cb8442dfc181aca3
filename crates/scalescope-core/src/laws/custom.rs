//! A law the user types: a [`Formula`] whose names are split into inputs and parameters,
//! made at run time and fitted like a built-in.
//!
//! Names that are a table role (`x`, `N`, `D`, `C`) are inputs: `N` and `D` together make a
//! law of N and D, one of them alone a one-input law of whichever scale column the table
//! has. A table's input headers name its inputs too ([`CustomSpec::with_headers`]: `params`
//! for the N column). Every other name is a parameter, in order of first appearance.
//!
//! A custom law is interned: the same formula, starts and positivity give the same
//! `&'static CustomLaw`, so [`Form`] stays `Copy` and compares by identity (see
//! ARCHITECTURE.md, "Laws").

use super::shared::log_grid;
use super::{At, Form, Input, Law, Param, Style};
use crate::fit::FormModel;
use crate::formula::{self, Formula, FormulaError};
use crate::table::{Role, Table};
use crate::Objective;
use std::sync::Mutex;

/// The most distinct custom laws one process interns (each is kept for the process's life).
pub const MAX_CUSTOM_LAWS: usize = 4096;

/// What a custom law is made from: the formula text, the user's starting values and the
/// parameters that must stay positive.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomSpec {
    /// The formula, e.g. `E + A*(x + x0)^-alpha`.
    pub text: String,
    /// Starting values by parameter name.
    pub starts: Vec<(String, f64)>,
    /// Names of the parameters optimised through their logarithm.
    pub positive: Vec<String>,
}

impl CustomSpec {
    /// The spec with the headers of `table`'s input columns as names of those inputs: over
    /// a table whose `params` column is N and `tokens` column is D,
    /// `E + A*params^-a + B*tokens^-b` is `E + A*N^-a + B*D^-b`. A text that does not
    /// tokenize is left as it is (making the law reports the error).
    pub fn with_headers(self, table: &Table) -> CustomSpec {
        let inputs: Vec<(&str, &'static str)> = table
            .headers()
            .iter()
            .zip(table.roles())
            .filter(|(_, r)| matches!(r, Role::X | Role::N | Role::D | Role::C))
            .map(|(h, r)| (h.trim(), r.name()))
            .collect();
        let text = Formula::rename(&self.text, |name| {
            inputs.iter().find(|(h, _)| *h == name).map(|(_, r)| *r)
        })
        .unwrap_or(self.text);
        CustomSpec { text, ..self }
    }
}

/// Why a [`CustomSpec`] does not make a law.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CustomError {
    /// The formula does not parse.
    #[error("{0}")]
    Formula(#[from] FormulaError),
    /// The formula has no parameter to fit.
    #[error("the formula has no parameter to fit (every name is an input: x, N, D or C)")]
    NoParams,
    /// The inputs do not form one input or N and D.
    #[error("the formula uses inputs {0}: a law takes one input (x, N, D or C) or N and D")]
    Inputs(String),
    /// A start or positivity names something that is not a parameter.
    #[error("'{0}' is not a parameter of the formula (its parameters are {1})")]
    NotAParam(String, String),
    /// A starting value is not finite, or not positive for a positive parameter.
    #[error("start {name} = {value} must be finite{}", if *positive { " and positive" } else { "" })]
    BadStart {
        /// The parameter.
        name: String,
        /// The value given.
        value: f64,
        /// Whether the parameter is positive.
        positive: bool,
    },
    /// Too many distinct custom laws in one process.
    #[error("too many distinct formulas in one session (at most {MAX_CUSTOM_LAWS})")]
    TooMany,
}

/// Where each formula name's value comes from.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Param(usize),
    Input(usize),
}

/// A law made from a formula. Obtain one through [`Form::custom`].
#[derive(Debug)]
pub struct CustomLaw {
    spec: CustomSpec,
    formula: Formula,
    slots: Vec<Slot>,
    /// Formula name index of each parameter (what the gradient is taken with respect to).
    wrt: Vec<usize>,
    params: &'static [Param],
    inputs: &'static [Input],
    starts: Vec<Option<f64>>,
    name: &'static str,
    display: &'static str,
    numpy: &'static str,
}

/// A custom law in the registry: compared and hashed by identity (laws are interned).
#[derive(Clone, Copy, Debug)]
pub struct Custom(pub(crate) &'static CustomLaw);

impl PartialEq for Custom {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.0, other.0)
    }
}
impl Eq for Custom {}
impl std::hash::Hash for Custom {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        std::ptr::hash(self.0, h);
    }
}

impl Custom {
    /// The law.
    pub fn law(self) -> &'static CustomLaw {
        self.0
    }
}

static INTERNED: Mutex<Vec<&'static CustomLaw>> = Mutex::new(Vec::new());

fn leak(s: String) -> &'static str {
    Box::leak(s.into_boxed_str())
}

impl CustomLaw {
    /// Make (or find the interned) law of `spec`.
    ///
    /// # Errors
    /// A [`CustomError`]: the formula's parse error with its column, inputs that are not one
    /// input or N and D, no parameter, a start or positivity naming no parameter, a bad
    /// start, or too many distinct laws.
    pub fn intern(spec: &CustomSpec) -> Result<&'static CustomLaw, CustomError> {
        let formula = Formula::parse(&spec.text)?;
        let mut guard = INTERNED.lock().unwrap_or_else(|e| e.into_inner());
        let normal = CustomSpec {
            text: formula.text().to_string(),
            ..spec.clone()
        };
        if let Some(law) = guard.iter().find(|l| l.spec == normal) {
            return Ok(law);
        }
        if guard.len() >= MAX_CUSTOM_LAWS {
            return Err(CustomError::TooMany);
        }
        let law = CustomLaw::build(normal, formula)?;
        let law: &'static CustomLaw = Box::leak(Box::new(law));
        guard.push(law);
        Ok(law)
    }

    fn build(spec: CustomSpec, formula: Formula) -> Result<CustomLaw, CustomError> {
        let names = formula.names();
        let is_input = |n: &str| matches!(n, "x" | "N" | "D" | "C");
        let used: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| is_input(n))
            .collect();
        let two = used.contains(&"N") && used.contains(&"D");
        let inputs: &'static [Input] = match (used.len(), two) {
            (2, true) => &[Input::N, Input::D],
            (0 | 1, _) => &[Input::X],
            _ => return Err(CustomError::Inputs(used.join(", "))),
        };
        let mut slots = Vec::with_capacity(names.len());
        let mut wrt = Vec::new();
        let mut param_names = Vec::new();
        for (i, n) in names.iter().enumerate() {
            if is_input(n) {
                slots.push(Slot::Input(usize::from(two && n == "D")));
            } else {
                slots.push(Slot::Param(wrt.len()));
                wrt.push(i);
                param_names.push(n.as_str());
            }
        }
        if wrt.is_empty() {
            return Err(CustomError::NoParams);
        }
        let list = param_names.join(", ");
        let known = |n: &str| {
            param_names
                .iter()
                .position(|p| *p == n)
                .ok_or_else(|| CustomError::NotAParam(n.to_string(), list.clone()))
        };
        let mut positive = vec![false; wrt.len()];
        for n in &spec.positive {
            positive[known(n.trim())?] = true;
        }
        let mut starts = vec![None; wrt.len()];
        for (n, v) in &spec.starts {
            let k = known(n.trim())?;
            if !v.is_finite() || (positive[k] && *v <= 0.0) {
                return Err(CustomError::BadStart {
                    name: n.trim().to_string(),
                    value: *v,
                    positive: positive[k],
                });
            }
            starts[k] = Some(*v);
        }
        let params: Vec<Param> = param_names
            .iter()
            .zip(&positive)
            .map(|(n, &positive)| Param {
                name: leak(n.to_string()),
                positive,
            })
            .collect();
        let none = vec![None; names.len()];
        let body = formula.render(&none, formula::Style::Numpy);
        // The Python export names a one-input law's argument `x`; a formula written in N, D
        // or C binds its own name to it.
        let numpy = match used.as_slice() {
            [name] if !two && *name != "x" => leak(format!("(lambda {name}: {body})(x)")),
            _ => leak(body),
        };
        Ok(CustomLaw {
            name: leak(formula.text().to_string()),
            display: leak(format!("y = {}", formula.text())),
            numpy,
            params: Box::leak(params.into_boxed_slice()),
            inputs,
            starts,
            slots,
            wrt,
            formula,
            spec,
        })
    }

    /// The formula.
    pub fn formula(&self) -> &Formula {
        &self.formula
    }

    /// What the law was made from.
    pub fn spec(&self) -> &CustomSpec {
        &self.spec
    }

    /// The user's starting value of each parameter (in [`Law::params`] order), if given.
    pub fn user_starts(&self) -> &[Option<f64>] {
        &self.starts
    }

    /// The formula's name values for parameters `p` at `at`.
    fn values(&self, p: &[f64], at: At) -> Vec<f64> {
        self.slots
            .iter()
            .map(|s| match *s {
                Slot::Param(k) => p.get(k).copied().unwrap_or(f64::NAN),
                Slot::Input(j) => at.x.get(j).copied().unwrap_or(f64::NAN),
            })
            .collect()
    }

    /// The candidate values of parameter `k` for the multi-start; a positive parameter's
    /// log-spaced values reach up to `hi` (the largest input), one per decade, so a scale
    /// parameter (an offset in data, a cut-off) can start at the data's scale.
    fn candidates(&self, k: usize, hi: f64) -> Vec<f64> {
        if let Some(v) = self.starts[k] {
            return vec![v];
        }
        if self.params[k].positive {
            let hi = if hi.is_finite() {
                hi.clamp(1e4, 1e300)
            } else {
                1e4
            };
            let decades = (hi.log10() + 3.0).ceil().max(7.0) as usize;
            log_grid(1e-3, hi, decades + 1)
        } else {
            let mut v = log_grid(1e-2, 1e3, 6);
            v.push(-1.0);
            v
        }
    }
}

/// How many multi-start candidates are scored, and how many of the best go to the optimiser.
const CANDIDATES: usize = 2048;
const KEEP: usize = 12;

/// The `i`-th element of the van der Corput sequence in base `b`.
fn radical_inverse(mut i: usize, b: usize) -> f64 {
    let (mut f, mut r) = (1.0, 0.0);
    while i > 0 {
        f /= b as f64;
        r += f * (i % b) as f64;
        i /= b;
    }
    r
}

const PRIMES: [usize; 16] = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53];

impl Law for CustomLaw {
    fn name(&self) -> &'static str {
        self.name
    }
    fn params(&self) -> &'static [Param] {
        self.params
    }
    fn inputs(&self) -> &'static [Input] {
        self.inputs
    }
    fn formula(&self) -> &'static str {
        self.display
    }
    fn default_objective(&self) -> Objective {
        Objective::LsLog
    }
    /// The formula takes what logarithms it writes; points where it is undefined are a
    /// fit-time message naming the point, so the reader refuses nothing for it.
    fn logs_inputs(&self) -> bool {
        false
    }

    fn value(&self, p: &[f64], at: At, g: Option<&mut [f64]>) -> f64 {
        let values = self.values(p, at);
        match g {
            Some(g) if g.len() == self.wrt.len() => {
                self.formula.eval_gradient(&values, &self.wrt, g)
            }
            Some(g) => {
                g.iter_mut().for_each(|v| *v = f64::NAN);
                f64::NAN
            }
            None => self.formula.eval(&values),
        }
    }

    /// The user's starts, else a low-discrepancy multi-start over each parameter's
    /// candidates (log-spaced for positive parameters), scored by the objective; the best
    /// few go to the optimiser.
    fn starts(&self, model: &FormModel, objective: Objective) -> Vec<Vec<f64>> {
        let k = self.params.len();
        let points = model.points;
        let hi = points
            .x
            .iter()
            .chain(points.d.iter().flatten())
            .filter(|v| v.is_finite())
            .fold(0.0f64, |a, &b| a.max(b.abs()));
        let lists: Vec<Vec<f64>> = (0..k).map(|j| self.candidates(j, hi)).collect();
        let total = lists
            .iter()
            .try_fold(1usize, |a, l| a.checked_mul(l.len()))
            .unwrap_or(usize::MAX);
        let mut cands: Vec<Vec<f64>> = Vec::new();
        if total <= CANDIDATES {
            for mut i in 0..total {
                cands.push(
                    lists
                        .iter()
                        .map(|l| {
                            let v = l[i % l.len()];
                            i /= l.len();
                            v
                        })
                        .collect(),
                );
            }
        } else {
            for i in 0..CANDIDATES {
                cands.push(
                    lists
                        .iter()
                        .enumerate()
                        .map(|(j, l)| {
                            let u = if j < PRIMES.len() {
                                radical_inverse(i + 1, PRIMES[j])
                            } else {
                                radical_inverse((i + 1) * (j + 1), 2)
                            };
                            l[((u * l.len() as f64) as usize).min(l.len() - 1)]
                        })
                        .collect(),
                );
            }
        }
        let mut scored: Vec<(f64, Vec<f64>)> = cands
            .into_iter()
            .map(|p| (crate::fit::objective_value(model, objective, &p), p))
            .filter(|(v, _)| v.is_finite())
            .collect();
        crate::sort::sort_by_score(&mut scored, |s| s.0);
        let mut out: Vec<Vec<f64>> = scored.into_iter().take(KEEP).map(|(_, p)| p).collect();
        if out.is_empty() {
            // Nothing is finite: hand the optimiser the first candidate so the fit reports
            // the first point where the formula is undefined.
            out.push((0..k).map(|j| lists[j][0]).collect());
        }
        out
    }

    fn render(&self, p: &[f64], _x: &str, style: Style) -> String {
        let values: Vec<Option<f64>> = self
            .slots
            .iter()
            .map(|s| match *s {
                Slot::Param(k) => p.get(k).copied(),
                Slot::Input(_) => None,
            })
            .collect();
        let body = self.formula.render(
            &values,
            match style {
                Style::Text => formula::Style::Text,
                Style::Latex => formula::Style::Latex,
            },
        );
        match style {
            Style::Text => format!("L = {body}"),
            Style::Latex => format!("L = {body}"),
        }
    }

    fn numpy(&self) -> &'static str {
        self.numpy
    }
}

impl Form {
    /// The custom law of `spec`, as a registry entry.
    ///
    /// # Errors
    /// See [`CustomLaw::intern`].
    pub fn custom(spec: &CustomSpec) -> Result<Form, CustomError> {
        CustomLaw::intern(spec).map(|l| Form::Custom(Custom(l)))
    }

    /// The custom law behind this form, if it is one.
    pub fn custom_law(self) -> Option<&'static CustomLaw> {
        match self {
            Form::Custom(c) => Some(c.0),
            _ => None,
        }
    }
}
