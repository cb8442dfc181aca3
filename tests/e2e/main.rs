//! End-to-end tests: the built page in headless Chromium. Run by `cargo xtask test` after
//! `trunk build --release` (the page must be built: `SCALESCOPE_DIST` or `dist/`).
#![cfg(not(target_arch = "wasm32"))]

mod backtest;
mod bootstrap;
mod calculator;
mod explorer;
mod harness;
mod offline;
mod page;
mod params;
mod share;
mod views;
mod worker;
