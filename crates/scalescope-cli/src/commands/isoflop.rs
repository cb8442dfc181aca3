//! `scalescope isoflop`: read the runs, run Approach 2 with its bootstrap, print.

use scalescope_core::export::isoflop_json;
use scalescope_core::isoflop::{isoflop, runs_from_table, IsoflopOptions};
use scalescope_core::table::Role;

use crate::args::{DataArgs, IsoflopArgs};
use crate::error::CliError;
use crate::{input, text};

/// Run `scalescope isoflop` and return what to print.
pub fn run(args: &IsoflopArgs) -> Result<String, CliError> {
    let path = args.file.as_str();
    let text = input::read_text(path)?;
    let data = DataArgs {
        file: Some(args.file.clone()),
        x: Vec::new(),
        y: args.y.clone(),
        group: None,
        delimiter: args.delimiter,
        no_header: args.no_header,
    };
    let mut options = input::read_options(&data);
    if let Some(n) = &args.n {
        options = options.with_role(input::column_ref(n), Role::N);
    }
    if let Some(c) = &args.c {
        options = options.with_role(input::column_ref(c), Role::C);
    }
    let table =
        scalescope_core::table::read_table(&text, &options).map_err(|source| CliError::Read {
            path: path.to_string(),
            source,
        })?;
    let failed = |source| CliError::Isoflop {
        path: path.to_string(),
        source,
    };
    let runs = runs_from_table(&table).map_err(failed)?;
    if !(args.tolerance.is_finite() && (0.0..1.0).contains(&args.tolerance)) {
        return Err(CliError::Usage(format!(
            "--tolerance {} must be at least 0 and below 1",
            args.tolerance
        )));
    }
    let options = IsoflopOptions {
        resamples: args.bootstrap as usize,
        seed: args.seed,
        tolerance: args.tolerance,
    };
    let profile = isoflop(&runs, &options).map_err(failed)?;
    Ok(if args.json {
        isoflop_json(&profile, Some(&table))
    } else {
        text::isoflop(&profile, &table)
    })
}
