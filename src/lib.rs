//! Scalescope's page: a thin Leptos shell over `scalescope-core`.
pub use app::App;
mod app;
