//! The page's components: each reads the state's memos and calls the core; no fitting,
//! parsing or number formatting logic lives here.

pub mod bootstrap;
pub mod calculator;
pub mod data_panel;
pub mod export_panel;
pub mod fit_controls;
pub mod fit_table;
pub mod params;
pub mod plot_panel;
pub mod plot_table;
pub mod preview;
pub mod rolling;
pub mod share_panel;
pub mod update_note;
