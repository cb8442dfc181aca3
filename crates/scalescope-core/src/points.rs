//! One group's observations and their validation.

use crate::{FitError, Form, Objective};

/// One group's observations. `x` is the single input (or N for a law of N and D), `d` is D
/// for such a law.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Points {
    /// The input (N for a law of N and D).
    pub x: Vec<f64>,
    /// The second input D, for a law of N and D.
    pub d: Option<Vec<f64>>,
    /// The observed value (e.g. loss).
    pub y: Vec<f64>,
    /// Optional non-negative weights, one per point.
    pub weights: Option<Vec<f64>>,
}

/// Which column of [`Points`] a validation error refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    /// `x` (or N).
    X,
    /// `d` (D, for a law of N and D).
    D,
    /// `y`.
    Y,
    /// `weights`.
    Weight,
}

impl std::fmt::Display for Column {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Column::X => "x",
            Column::D => "D",
            Column::Y => "y",
            Column::Weight => "weight",
        })
    }
}

impl Points {
    /// Points with one input and no weights.
    pub fn new(x: Vec<f64>, y: Vec<f64>) -> Self {
        Points {
            x,
            d: None,
            y,
            weights: None,
        }
    }

    /// Points with two inputs (N, D).
    pub fn with_d(x: Vec<f64>, d: Vec<f64>, y: Vec<f64>) -> Self {
        Points {
            x,
            d: Some(d),
            y,
            weights: None,
        }
    }

    /// Attach weights.
    #[must_use]
    pub fn with_weights(mut self, w: Vec<f64>) -> Self {
        self.weights = Some(w);
        self
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.y.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The D value of point `i`, if any.
    pub fn d_at(&self, i: usize) -> Option<f64> {
        self.d.as_ref().and_then(|d| d.get(i).copied())
    }

    /// The weight of point `i` (1 without weights).
    pub fn weight(&self, i: usize) -> f64 {
        self.weights
            .as_ref()
            .and_then(|w| w.get(i).copied())
            .unwrap_or(1.0)
    }

    /// Check the points can be fitted with `form` under `objective`.
    ///
    /// Catches length mismatches, NaN/inf, non-positive values where the form or the
    /// objective takes a log, negative weights, fewer points than parameters, a constant
    /// input, and fewer distinct inputs (or (N, D) pairs) among the positive-weight points
    /// than parameters. Exactly as many points as parameters is allowed: the curve interpolates them and
    /// the uncertainty is flagged as not estimable.
    pub fn validate(&self, form: Form, objective: Objective) -> Result<(), FitError> {
        let n = self.y.len();
        let len_check = |column, len| {
            if len != n {
                Err(FitError::LengthMismatch {
                    column,
                    expected: n,
                    len,
                })
            } else {
                Ok(())
            }
        };
        len_check(Column::X, self.x.len())?;
        let two = form.two_inputs();
        if two {
            match &self.d {
                Some(d) => len_check(Column::D, d.len())?,
                None => return Err(FitError::MissingD),
            }
        }
        if let Some(w) = &self.weights {
            len_check(Column::Weight, w.len())?;
        }
        let k = form.n_params();
        if n < k {
            return Err(FitError::TooFewPoints { n, params: k });
        }
        let x_log = form.law().logs_inputs();
        let y_log = objective.is_log();
        // Every value usable (the common case, checked column by column), or the first
        // problem in row order.
        // Without short-circuits, so that the loops vectorise (NaN fails every comparison).
        let usable = |v: &[f64], positive: bool| {
            let low = if positive { 0.0 } else { f64::NEG_INFINITY };
            let ok = |t: f64| (t > low) & (t < f64::INFINITY) & (t.abs() < f64::INFINITY);
            v.iter().fold(true, |all, &t| all & ok(t))
        };
        let all_usable = usable(&self.x, x_log)
            && usable(&self.y, y_log)
            && (!two || self.d.as_deref().is_some_and(|d| usable(d, true)))
            && self.weights.as_deref().is_none_or(|w| {
                w.iter()
                    .fold(true, |all, &t| all & (0.0..f64::INFINITY).contains(&t))
            });
        for i in 0..if all_usable { 0 } else { n } {
            let checks = [
                (Column::X, Some(self.x[i]), x_log),
                (Column::D, self.d_at(i).filter(|_| two), true),
                (Column::Y, Some(self.y[i]), y_log),
            ];
            for (column, v, must_be_positive) in checks {
                let Some(v) = v else { continue };
                if !v.is_finite() {
                    return Err(FitError::NonFinite { index: i, column });
                }
                if must_be_positive && v <= 0.0 {
                    return Err(FitError::NonPositive {
                        index: i,
                        column,
                        value: v,
                    });
                }
            }
            let w = self.weight(i);
            if !w.is_finite() || w < 0.0 {
                return Err(FitError::BadWeight { index: i, value: w });
            }
        }
        let constant = |v: &[f64]| v.iter().all(|&t| t == v[0]);
        if constant(&self.x) {
            return Err(FitError::ConstantInput { column: Column::X });
        }
        if let (true, Some(d)) = (two, &self.d) {
            if constant(d) {
                return Err(FitError::ConstantInput { column: Column::D });
            }
        }
        let effective = (0..n).filter(|&i| self.weight(i) > 0.0).count();
        if effective < k {
            return Err(FitError::TooFewPoints {
                n: effective,
                params: k,
            });
        }
        identifiable(self, form)?;
        Ok(())
    }
}

/// Refuses points whose distinct inputs (x values, or (N, D) pairs for a two-input law)
/// among the positive-weight points are fewer than the parameters: the law is then not
/// identifiable (a saturating law through two x values fits any alpha), however many
/// repeated points there are.
fn identifiable(points: &Points, form: Form) -> Result<(), FitError> {
    let pairs = form.two_inputs();
    // `+ 0.0` makes −0 and +0 one value; every value is finite here.
    let bits = |v: f64| (v + 0.0).to_bits();
    let params = form.n_params();
    // Only whether there are `params` distinct inputs matters: stop at the `params`-th
    // (a set of every input hashed all 10⁵ points of a large fit, a third of its time).
    let mut distinct: Vec<(u64, u64)> = Vec::with_capacity(params);
    for i in (0..points.len()).filter(|&i| points.weight(i) > 0.0) {
        if distinct.len() >= params {
            break;
        }
        let d = points.d_at(i).filter(|_| pairs).map_or(0, bits);
        let key = (bits(points.x[i]), d);
        if !distinct.contains(&key) {
            distinct.push(key);
        }
    }
    if distinct.len() < params {
        return Err(FitError::TooFewDistinct {
            distinct: distinct.len(),
            params,
            pairs,
        });
    }
    Ok(())
}
