//! Scalescope's core: scaling-law fitting, statistics, inversion, data reading and the
//! share-link codec. No web dependencies, no IO.
//!
//! End to end: fit Chinchilla's law to (N, D, loss) points, read the uncertainty and the
//! termination report, and ask for the compute-optimal model at a budget.
//!
//! ```
//! use scalescope_core::presets::Model;
//! use scalescope_core::{fit, FitOptions, Form, Objective, Points};
//!
//! // Noise-free points from Epoch AI's 2024 fit on a 6 × 6 grid of N and D.
//! let truth = [1.8172, 482.01, 2085.43, 0.3478, 0.3658];
//! let (mut n, mut d, mut loss) = (vec![], vec![], vec![]);
//! for i in 0..6 {
//!     for j in 0..6 {
//!         let (ni, dj) = (1e8 * 4f64.powi(i), 2e9 * 4f64.powi(j));
//!         n.push(ni);
//!         d.push(dj);
//!         loss.push(Form::Chinchilla.eval(&truth, ni, Some(dj)));
//!     }
//! }
//! let f = fit(&Points::with_d(n, d, loss), &FitOptions::new(Form::Chinchilla))?;
//! assert_eq!(f.objective, Objective::HuberLog { delta: 1e-3 }); // the published default
//! assert!(f.converged(), "{}", f.termination);
//! assert!((f.param("alpha").unwrap() / 0.3478 - 1.0).abs() < 1e-8);
//!
//! let at = Model::fitted(&f).optimal_allocation(1e24)?;
//! assert!((at.n / 9.6e10 - 1.0).abs() < 0.01 && at.tokens_per_param > 15.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! One-input forms invert in closed form, with a 95 % interval:
//!
//! ```
//! use scalescope_core::{fit, FitOptions, Form, Points};
//!
//! let x = vec![1e6, 1e7, 1e8, 1e9, 1e10];
//! let y: Vec<f64> = x.iter().map(|v: &f64| 40.0 * v.powf(-0.1)).collect();
//! let f = fit(&Points::new(x, y), &FitOptions::new(Form::Power))?; // OLS on logs
//! assert!((f.param("b").unwrap() + 0.1).abs() < 1e-12);
//! let need = f.required_x(10.0)?;
//! assert!((need.x / 1.048576e6 - 1.0).abs() < 1e-9); // (40/10)^(1/0.1) = 4^10
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Map
//!
//! - [`fit`] with [`FitOptions`] ([`Form`], [`Objective`], [`FitMode`]) → [`Fit`]
//!   (parameters, standard errors, 95 % intervals, covariance, [`Metrics`],
//!   [`Termination`], warnings) or a typed [`FitError`]; the grid mode also runs in steps
//!   through [`GridSearch`].
//! - [`presets::Model`] answers every question about a law with numbers, fitted or
//!   published: prediction with its band, the input a target needs, and for a law of N and
//!   D the compute-optimal split, the compute for a loss and the data for a model size;
//!   [`units`] for perplexity ↔ loss.
//! - [`report::Report`]: every fit of an analysis with those answers, the rows left out
//!   and the warnings: what the CLI prints and [`export::report_json`] writes.
//! - [`against`]: a fit against a published law (χ² of the shared parameters, p-value).
//! - [`bootstrap`]: resample each group's rows (seeded, chunkable by resample index),
//!   refit warm-started from the full fit, percentile intervals ([`bootstrap::run_chunk`],
//!   [`bootstrap::summarise`]).
//! - [`backtest`]: hold out a group's largest scales (or roll over its scales), fit the
//!   rest and compare the predictions and their prediction intervals with what was
//!   observed ([`backtest::holdout`], [`backtest::rolling`], [`backtest::Backtest`]).
//! - [`isoflop`]: IsoFLOP profiles (Chinchilla Approach 2): a parabola per compute budget,
//!   N*(C) and D*(C) as power laws with bootstrap intervals, and the warnings where the
//!   protocol is biased.
//! - [`solve`]: the engine on any model given as residuals and a Jacobian
//!   ([`solve::FnModel`]): Levenberg–Marquardt ([`solve::least_squares`], with restarts in
//!   [`solve::least_squares_rescued`]) and damped Newton for Huber objectives
//!   ([`solve::minimize`]).
//! - [`stats`]: Student-t quantile and the covariance inverse.
//! - [`job`]: a read-and-fit request and its answer, with a binary wire format, for the
//!   page's worker.
#![deny(missing_docs)]

pub mod against;
mod allocation_ci;
pub mod analysis;
pub mod backtest;
pub mod bootstrap;
pub mod budget;
pub mod examples;
pub mod export;
pub mod float;
pub mod format;
pub mod formula;
pub mod isoflop;
pub mod job;
mod lines;
pub mod presets;
pub mod report;

pub mod chinchilla;
pub mod compare;
mod error;
mod fit;
mod invert;
pub mod laws;
mod objective;
pub mod off_optimal;
mod options;
mod points;
pub mod share;
pub mod shared_fit;
pub mod solve;
pub mod sort;
pub mod stats;
pub mod table;
mod termination;
pub mod units;

pub use error::{FitError, InvertError};
#[cfg(feature = "grid")]
pub use fit::GridSearch;
pub use fit::{fit, Fit, Metrics, SeMethod, Space};
pub use invert::Required;
pub use laws::{Form, ParseFormError};
pub use lines::Lines;
pub use objective::{Objective, ParseObjectiveError};
pub use options::{FitMode, FitOptions};
pub use points::{Column, Points};
pub use termination::Termination;
