//! One module per subcommand. To add one: a variant in [`crate::args::Command`], a module
//! here with `run(&Args) -> Result<String, CliError>`, and a line in `main`.

pub mod backtest;
pub mod bootstrap;
pub mod compare;
pub mod fit;
pub mod isoflop;
pub mod share;
