//! Scalescope's core: scaling-law fitting, statistics, inversion, data reading and the
//! share-link codec. No web dependencies, no IO.
//!
//! Fit a power law and ask what input reaches a target:
//!
//! ```
//! use scalescope_core::{fit, FitOptions, Form, Points};
//!
//! let x = vec![1e6, 1e7, 1e8, 1e9, 1e10];
//! let y: Vec<f64> = x.iter().map(|v: &f64| 40.0 * v.powf(-0.1)).collect();
//! let f = fit(&Points::new(x, y), &FitOptions::new(Form::Power))?;
//! assert!((f.param("b").unwrap() + 0.1).abs() < 1e-12);
//! let need = f.required_x(10.0)?;
//! assert!((need.x / 1.048576e6 - 1.0).abs() < 1e-9); // (40/10)^(1/0.1) = 4^10
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![deny(missing_docs)]

pub mod analysis;
pub mod budget; pub mod presets;
pub mod examples;
pub mod format;

pub mod chinchilla;
mod error;
mod fit;
mod form;
mod invert;
mod objective;
mod options;
mod points;
pub mod solve;
pub mod stats;
pub mod table;
mod termination;
pub mod units;

pub use error::{FitError, InvertError};
pub use fit::{fit, Fit, Metrics, Space};
pub use form::{Form, ParseFormError};
pub use invert::Required;
pub use objective::{Objective, ParseObjectiveError};
pub use options::{FitMode, FitOptions};
pub use points::{Column, Points};
pub use termination::Termination;
