//! `scalescope backtest`: read, fit each group without its largest scales (or every prefix
//! of its scales), compare the predictions with what was observed, print.

use scalescope_core::backtest::{Backtest, HoldOut, Mode};
use scalescope_core::export::backtest_json;

use super::fit::{analyse, Plan};
use crate::args::BacktestArgs;
use crate::error::CliError;
use crate::{input, text};

/// Run `scalescope backtest` and return what to print.
pub fn run(args: &BacktestArgs) -> Result<String, CliError> {
    let (path, mut table) = input::table(&args.data)?;
    let plan = Plan::of_args(&table, &args.model)?;
    let (analysis, _) = analyse(path, &mut table, &plan)?;
    let backtest = Backtest::new(Some(&table), &analysis, &plan.options, mode(args));
    if backtest.groups.iter().all(|g| g.outcome.is_err()) {
        if let Some(g) = backtest.groups.first() {
            if let Err(source) = &g.outcome {
                return Err(CliError::Backtest {
                    path: path.to_string(),
                    group: g.group.clone(),
                    source: source.clone(),
                });
            }
        }
    }
    Ok(if args.json {
        backtest_json(&backtest)
    } else {
        text::backtest(&backtest)
    })
}

/// The backtest `--holdout-top`, `--holdout-above` and `--rolling` ask for (at most one:
/// clap refuses more); the largest scale held out when none is given.
fn mode(args: &BacktestArgs) -> Mode {
    if args.rolling {
        Mode::Rolling
    } else if let Some(x) = args.holdout_above {
        Mode::HoldOut(HoldOut::Above(x))
    } else {
        let k = args.holdout_top.unwrap_or(1);
        Mode::HoldOut(HoldOut::Top(usize::try_from(k).unwrap_or(usize::MAX)))
    }
}
