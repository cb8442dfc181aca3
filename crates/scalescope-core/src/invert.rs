//! Target y → required x for the one-input laws, with a 95 % interval.

use crate::{stats, Fit, Form, InvertError};

/// The input needed to reach a target, with its 95 % interval.
#[derive(Clone, Debug, PartialEq)]
pub struct Required {
    /// The requested target y.
    pub target: f64,
    /// The x at which the fitted curve equals the target.
    pub x: f64,
    /// 95 % interval of `x` (delta method, Student t; for positive x the interval is taken
    /// on `ln x`, so it stays positive). `(NaN, NaN)` without a covariance.
    pub ci95: (f64, f64),
}

/// The x with `form(p, x) = y`: the law's own inverse (closed form where one exists).
pub(crate) fn inverse(form: Form, p: &[f64], y: f64) -> Result<f64, InvertError> {
    if !y.is_finite() {
        return Err(InvertError::BadArgument {
            name: "target",
            value: y,
        });
    }
    if p.len() != form.n_params() {
        return Err(InvertError::BadParams("wrong number of parameters".into()));
    }
    if form.two_inputs() {
        return Err(InvertError::NotOneInput);
    }
    let x = form.law().inverse(p, y)?;
    if x.is_finite() {
        Ok(x)
    } else {
        Err(InvertError::Unreachable {
            target: y,
            reason: "the required x overflows".into(),
        })
    }
}

impl Fit {
    /// The x where the fitted curve reaches `target_y`, with a 95 % interval
    /// (one-input laws; each law's own inverse).
    ///
    /// # Errors
    /// [`InvertError::Unreachable`] when the curve never reaches the target (e.g. a loss at or
    /// below the floor E), [`InvertError::NotOneInput`] for chinchilla.
    pub fn required_x(&self, target_y: f64) -> Result<Required, InvertError> {
        let x = inverse(self.form, &self.params, target_y)?;
        let positive = x > 0.0;
        let h_of = |p: &[f64]| -> f64 {
            match inverse(self.form, p, target_y) {
                Ok(v) if positive && v > 0.0 => v.ln(),
                Ok(v) if !positive => v,
                _ => f64::NAN,
            }
        };
        let h0 = if positive { x.ln() } else { x };
        let ci95 = match &self.covariance {
            Some(c) => {
                // Gradient of h = ln x (or x) with respect to the parameters, by central
                // differences of the closed-form inverse.
                let k = self.params.len();
                let mut g = vec![0.0; k];
                let mut q = self.params.clone();
                for (j, gj) in g.iter_mut().enumerate() {
                    let step = 1e-6 * self.params[j].abs().max(1e-8);
                    q[j] = self.params[j] + step;
                    let up = h_of(&q);
                    q[j] = self.params[j] - step;
                    let down = h_of(&q);
                    q[j] = self.params[j];
                    *gj = (up - down) / (2.0 * step);
                }
                let var: f64 = (0..k)
                    .flat_map(|a| (0..k).map(move |b| (a, b)))
                    .map(|(a, b)| g[a] * c[(a, b)] * g[b])
                    .sum();
                let half = stats::t95(self.metrics.dof) * var.max(0.0).sqrt();
                if positive {
                    ((h0 - half).exp(), (h0 + half).exp())
                } else {
                    (h0 - half, h0 + half)
                }
            }
            None => (f64::NAN, f64::NAN),
        };
        Ok(Required {
            target: target_y,
            x,
            ci95,
        })
    }
}
