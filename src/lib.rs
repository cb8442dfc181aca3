//! Scalescope's page: a thin Leptos shell over `scalescope-core`.
//!
//! `main.rs` mounts [`App`], or in the page's Web Worker serves [`engine`] requests; the
//! state lives in [`state`], components in `components/`, the chart in [`plot`].

pub use app::App;

mod app;
mod components;
pub mod engine;
mod offline;
pub mod plot;
pub mod pool;
mod share;
mod shared;
pub mod state;
