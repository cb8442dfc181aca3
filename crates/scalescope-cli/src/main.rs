//! The `scalescope` command: fit scaling laws to tables from files or pipes.
//!
//! `main` only parses the arguments and maps errors to exit status 2 with a message on
//! standard error; each subcommand lives in `commands/`.

mod args;
mod commands;
mod error;
mod input;
mod text;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use args::{Cli, Command};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Fit(args) => commands::fit::run(&args),
        Command::Share(args) => commands::share::run(&args),
        Command::Backtest(args) => commands::backtest::run(&args),
        Command::Isoflop(args) => commands::isoflop::run(&args),
        Command::Compare(args) => commands::compare::run(&args),
    };
    match result {
        Ok(output) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`scalescope fit … | head`) is not an error worth reporting.
            let _ = stdout.write_all(output.as_bytes());
            let _ = stdout.flush();
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("scalescope: error: {}", text::printable(&e.to_string()));
            ExitCode::from(e.exit_code())
        }
    }
}
