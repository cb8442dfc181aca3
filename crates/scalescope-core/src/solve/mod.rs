//! The optimisation engine, usable on any model: Levenberg–Marquardt for least squares,
//! damped Newton for smooth (Huber) objectives, and a robust-loss wrapper joining the two.

mod lm;
mod model;
mod newton;
mod positive;
mod rescue;
mod robust;
pub(crate) mod tall;

pub use lm::{least_squares, sse, LsOptions, LsSolution};
pub use model::{numeric_jacobian, FnModel, ResidualModel};
pub use newton::{minimize, numeric_hessian, NewtonOptions, NewtonSolution, SmoothObjective};
pub use positive::LogParams;
pub use rescue::least_squares_rescued;
pub use robust::{RobustObjective, Scaled};
