//! The command line, declared with clap. Argument groups are separate structs so that new
//! subcommands (e.g. `share`) can flatten the same data, model and calculator options.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use scalescope_core::{Form, Objective};

/// Fit scaling laws (every law of `scalescope fit --form`) to tables of measurements, with
/// uncertainties, inversion and compute-optimal allocation.
#[derive(Debug, Parser)]
#[command(name = "scalescope", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fit a scaling law to each group of a table and print parameters, diagnostics and
    /// calculator results.
    #[command(
        long_about = "Fit a scaling law to each group of a table and print parameters ± \
standard errors, 95 % intervals, R², RMSE, AIC/BIC and calculator results.\n\n\
The table may be comma, tab, semicolon or space separated (or a Markdown table), with or \
without a header; \
numbers may use ML suffixes (70M, 1.4B, 1.4T), scientific notation, quoted thousands \
separators, or a decimal comma when the delimiter is ; or tab. Column roles are guessed \
from headers (N/params, D/tokens, C/flops, loss/val_loss, ppl/perplexity, \
model/family/group/run); perplexity is converted to loss = ln(ppl); with N and C only, \
D = C/(6N). Rows that cannot be used are listed with their line.\n\n\
Exit status: 0 on success, 2 on bad input (message on standard error, nothing on \
standard output).",
        after_help = "Examples:\n  scalescope fit runs.csv --form saturating --target-loss 2.0\n  \
scalescope fit chinchilla.csv --form chinchilla --compute 1e24 --json\n  \
scalescope fit runs.csv --form saturating --fix E=1.69 --objective asym-log:10\n  \
scalescope fit chinchilla.csv --bootstrap 1000 --seed 7 --compute 1e24 --json\n  \
scalescope fit chinchilla.csv --against hoffmann2022 --bootstrap 1000\n  \
scalescope fit families.csv --group family --objective ls-log --share alpha\n  \
cat runs.tsv | scalescope fit - --x params --y val_loss --group model"
    )]
    Fit(FitArgs),
    /// Print a share link: the page opens it with the same table, choices and fit.
    #[command(
        long_about = "Print a share link for a table and fit options: opening it in \
Scalescope's page shows the same table, column roles, form, objective and calculator \
inputs, refitted to identical numbers (the data travel in the link's #fragment, which is \
never sent to a server). With --fit-only the link carries the fitted parameters and their \
covariance instead of the data (a few hundred characters). `scalescope fit --link LINK` \
fits what a link carries.",
        after_help = "Examples:\n  scalescope share runs.csv --form saturating --target-loss 2.0\n  \
scalescope share chinchilla.csv --fit-only --base https://example.org/scalescope/"
    )]
    Share(ShareArgs),
    /// Would the law have predicted the largest runs? Hold out each group's largest
    /// scales, fit the rest, and compare predictions with what was observed.
    #[command(
        long_about = "Backtest a scaling law: in each group, hold out the largest scales \
(--holdout-top K: the K largest distinct x, or for a law of N and D the K largest compute \
C = 6·N·D; --holdout-above X: every point whose x, or compute, is above X), fit the other \
points exactly as `scalescope fit` would, and report for each held-out point the \
prediction, its 95 % prediction interval of a new run, the relative error \
(predicted/observed − 1) and whether the observation lies inside; per group the mean \
absolute relative error and the coverage (the fraction inside). With --rolling, every \
prefix of the sorted scales that has enough points to fit the law predicts the next \
scale: the extrapolation error against the data used. Without a choice, the largest \
scale is held out (--holdout-top 1).\n\n\
The table, column and model options are those of `scalescope fit`.\n\n\
Exit status: 0 when at least one group could be backtested, 2 on bad input or when no \
group could (message on standard error, nothing on standard output).",
        after_help = "Examples:\n  scalescope backtest runs.csv --form saturating --holdout-top 2\n  \
scalescope backtest chinchilla.csv --holdout-above 1e21 --json\n  \
scalescope backtest runs.csv --form power --objective ls-log --rolling"
    )]
    Backtest(BacktestArgs),
    /// IsoFLOP profiles (Chinchilla Approach 2): per compute budget, the model size of least
    /// loss; then N*(C) and D*(C) as power laws with bootstrap intervals.
    #[command(
        long_about = "IsoFLOP profiles (Hoffmann et al. 2022, Approach 2). Runs are grouped by \
compute budget (a C/flops/compute/budget column, or 6·N·D from a tokens column; budgets \
equal to a relative 1e-6 are one). Per budget, a parabola of loss in ln N is fitted by \
least squares and its minimum gives N_opt, D_opt = C/(6 N_opt) and the loss there; a budget \
with fewer than 3 runs or sizes, no minimum, or a minimum outside the sizes sampled is \
refused with the reason. Then N*(C) = k_N·C^a and D*(C) = k_D·C^b are fitted in logs, with \
percentile 95 % intervals from B resamples of the runs within each budget.\n\n\
Warnings where Approach 2 is biased: grids reaching more than 16× from their minimum, \
minima in the outer quarter of their grid's ln N range, exponents a and b more than 0.1 \
apart.",
        after_help = "Examples:\n  scalescope isoflop sweep.csv\n  \
scalescope isoflop sweep.csv --bootstrap 4000 --seed 7 --json\n  \
cat runs.tsv | scalescope isoflop - --n params --c flops --y val_loss"
    )]
    Isoflop(IsoflopArgs),
    /// The effective compute multiplier between two groups: how much compute the second
    /// needs against the first to reach the same loss.
    #[command(
        long_about = "The effective compute multiplier between two groups of a table (a new \
architecture against a baseline, one data recipe against another): each group is fitted \
as `scalescope fit` fits it, then at a loss L the multiplier is C_B(L)/C_A(L), the compute \
the second group needs over the compute the first needs. For a law of N and D, C(L) is the \
least compute on the law's compute-optimal frontier; for a one-input law it is the input \
that reaches L (compute when the input column is C). The 95 % interval is the delta \
method on the two fits' covariances (taken independent); with --bootstrap B also the \
percentile interval of B refits of each group's resampled rows (resampled independently), \
with counts of the resamples that could not be refitted or never reach the loss. Also \
over a range of losses: by default the losses both groups observed.",
        after_help = "Examples:\n  scalescope compare runs.csv --groups baseline,new --at-loss 2.5\n  \
scalescope compare runs.csv --groups A,B --at-loss 2.5 --objective ls-log --json\n  \
scalescope compare runs.csv --groups A,B --at-loss 2.5 --bootstrap 1000 --seed 7"
    )]
    Compare(CompareArgs),
}

/// `scalescope isoflop`.
#[derive(Debug, Args)]
pub struct IsoflopArgs {
    /// The table of runs: a file path, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub file: String,
    /// The model-size column (default: the column whose header says N/params).
    #[arg(long, value_name = "COL")]
    pub n: Option<String>,
    /// The compute column (default: the column whose header says C/flops/compute/budget;
    /// without one, C = 6·N·D from the tokens column).
    #[arg(long, value_name = "COL")]
    pub c: Option<String>,
    /// The loss column (a perplexity column if its header says ppl or perplexity).
    #[arg(long, value_name = "COL")]
    pub y: Option<String>,
    /// The field separator, instead of detecting it.
    #[arg(long, value_enum, value_name = "SEP")]
    pub delimiter: Option<Sep>,
    /// The first row is data, not a header (default: detected).
    #[arg(long)]
    pub no_header: bool,
    /// Runs whose budgets differ by at most this relative amount share a budget (for
    /// budgets logged with rounding, e.g. 0.02).
    #[arg(long, value_name = "REL", default_value_t = scalescope_core::isoflop::BUDGET_TOLERANCE)]
    pub tolerance: f64,
    /// Bootstrap resamples for the intervals of a and b (100 to 10000).
    #[arg(long, value_name = "B", default_value_t = scalescope_core::bootstrap::DEFAULT_RESAMPLES as u64,
          value_parser = clap::value_parser!(u64).range(100..=10_000))]
    pub bootstrap: u64,
    /// The bootstrap's seed.
    #[arg(long, value_name = "S", default_value_t = scalescope_core::bootstrap::DEFAULT_SEED)]
    pub seed: u64,
    /// Print JSON (`budgets`, `refused`, `a`, `a_ci95`, `b`, `b_ci95`, `warnings`…).
    #[arg(long)]
    pub json: bool,
}

/// Where the data come from and which columns mean what.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// The table to read: a file path, or `-` for standard input.
    #[arg(value_name = "FILE|-")]
    pub file: Option<String>,
    /// Input column(s): one for a one-input law, or two (N,D — or N,C to derive
    /// D = C/(6N)) for a law of N and D. A header or a 1-based column number.
    #[arg(long, value_name = "COL[,COL]", value_delimiter = ',', num_args = 1..=2)]
    pub x: Vec<String>,
    /// The column fitted as y (a loss; a perplexity column if its header says ppl or
    /// perplexity). A header or a 1-based column number.
    #[arg(long, value_name = "COL")]
    pub y: Option<String>,
    /// Fit each value of this column separately (model family, run, series).
    #[arg(long, value_name = "COL")]
    pub group: Option<String>,
    /// The field separator, instead of detecting it.
    #[arg(long, value_enum, value_name = "SEP")]
    pub delimiter: Option<Sep>,
    /// The first row is data, not a header (default: detected).
    #[arg(long)]
    pub no_header: bool,
}

/// A field separator, as typed on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Sep {
    /// `,`
    Comma,
    /// A tab.
    Tab,
    /// `;` (a decimal comma is then allowed).
    Semicolon,
    /// Runs of spaces.
    Whitespace,
    /// `|` (Markdown tables).
    Pipe,
}

/// What to fit and how.
#[derive(Debug, Args)]
pub struct ModelArgs {
    /// The law (every name of the registry, with its formula, in the help).
    #[arg(long, value_name = "FORM", help = form_help(), conflicts_with = "formula")]
    pub form: Option<Form>,
    /// A custom law, e.g. `--formula "E + A*(D + x0)^-alpha"`: names that are roles (x, N,
    /// D, C) or headers of the input columns (`params`, `tokens`) are inputs, every other
    /// name is a parameter; functions exp, ln/log, log10, log2, sqrt, abs, min, max, pow.
    #[arg(long, value_name = "FORMULA")]
    pub formula: Option<String>,
    /// Starting values of a formula's parameters, e.g. `--start x0=1e6,alpha=0.3`; the
    /// others start from a multi-start over log-spaced values.
    #[arg(
        long,
        value_name = "NAME=VALUE",
        value_delimiter = ',',
        requires = "formula"
    )]
    pub start: Vec<String>,
    /// A formula's parameters that must stay positive (optimised through their logarithm),
    /// e.g. `--positive A,x0`.
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        requires = "formula"
    )]
    pub positive: Vec<String>,
    /// The objective (each law's default in the help).
    #[arg(long, value_name = "OBJECTIVE", help = objective_help())]
    pub objective: Option<Objective>,
    /// Hold parameter NAME at VALUE instead of fitting it (repeatable), e.g. `--fix E=1.69`
    /// to take the irreducible loss from a larger study. Names are the law's parameters as
    /// the output lists them; standard errors and degrees of freedom count only the others.
    #[arg(long, value_name = "NAME=VALUE")]
    pub fix: Vec<String>,
    /// The search: default (structure-aware starts and a Newton polish), or grid (the
    /// Hoffmann et al. / Epoch AI 4500-start L-BFGS protocol, chinchilla only).
    #[arg(long, value_enum, default_value_t = Mode::Default)]
    pub mode: Mode,
}

/// `--form`'s help: every law of the registry with its formula and aliases.
fn form_help() -> String {
    let laws: Vec<String> = Form::ALL
        .iter()
        .map(|f| {
            let aliases = f.law().aliases();
            let also = if aliases.is_empty() {
                String::new()
            } else {
                format!(", also {}", aliases.join(", "))
            };
            format!("{} ({}{also})", f.name(), f.formula())
        })
        .collect();
    format!(
        "The law: {}. Default: chinchilla when the table has N and D, saturating otherwise",
        laws.join("; ")
    )
}

/// `--objective`'s help: the objectives and each law's default.
fn objective_help() -> String {
    let mut by_objective: Vec<(Objective, Vec<&str>)> = Vec::new();
    for f in Form::ALL {
        let o = Objective::default_for(f);
        match by_objective.iter_mut().find(|(known, _)| *known == o) {
            Some((_, forms)) => forms.push(f.name()),
            None => by_objective.push((o, vec![f.name()])),
        }
    }
    let defaults: Vec<String> = by_objective
        .iter()
        .map(|(o, forms)| format!("{o} for {}", forms.join(", ")))
        .collect();
    format!(
        "The objective: ls, ls-log, huber:DELTA, huber-log:DELTA, or asym-log:LAMBDA (a lower \
         envelope: squared log residuals, points below the curve weighted by LAMBDA ≥ 1). \
         Default: {}",
        defaults.join("; ")
    )
}

/// The search mode, as typed on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Mode {
    /// Structure-aware starts then a Newton polish.
    Default,
    /// The published 4500-start grid.
    Grid,
}

/// Calculator questions answered from each fit.
#[derive(Debug, Args)]
pub struct CalcArgs {
    /// Report the input needed to reach this loss (for a law of N and D: the least compute
    /// reaching it, and its compute-optimal N and D).
    #[arg(long, value_name = "L", conflicts_with = "target_ppl")]
    pub target_loss: Option<f64>,
    /// Like --target-loss, with the target given as a perplexity (loss = ln P).
    #[arg(long, value_name = "P")]
    pub target_ppl: Option<f64>,
    /// Report the compute-optimal N, D and loss at this many FLOPs (laws of N and D).
    #[arg(long, value_name = "C")]
    pub compute: Option<f64>,
}

/// `scalescope fit`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file", "link"])))]
pub struct FitArgs {
    /// Data options.
    #[command(flatten)]
    pub data: DataArgs,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Calculator options.
    #[command(flatten)]
    pub calc: CalcArgs,
    /// Print JSON (one object with `fits`, `skipped` and `warnings`) instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Bootstrap options.
    #[command(flatten)]
    pub resample: ResampleArgs,
    /// Test each fit against a published law of the same form: hoffmann2022, epoch2024
    /// (chinchilla), kaplan2020 (kaplan2020-n for a power law, kaplan2020-nd for kaplan-nd).
    /// Prints χ² = Δᵀ Σ⁻¹ Δ over the parameters not held fixed (Δ = fitted − published; Σ
    /// the bootstrap's covariance with --bootstrap, the fit's otherwise), its degrees of
    /// freedom and p-value.
    #[arg(long, value_name = "PRESET")]
    pub against: Option<String>,
    /// Fit the groups jointly with these parameters shared (one value for every group,
    /// e.g. `--share alpha` or `--share alpha,beta`) and test that against the separate
    /// fits (extra-sum-of-squares F test; needs --objective ls or ls-log). The fits stay
    /// the separate ones; the JSON gains `shared`.
    #[arg(
        long,
        value_name = "NAMES",
        value_delimiter = ',',
        conflicts_with = "link"
    )]
    pub share: Vec<String>,
    /// Fit the state a share link carries (a URL, `#FRAGMENT` or the fragment) instead of
    /// a file; calculator options override the link's.
    #[arg(long, value_name = "URL|FRAGMENT", conflicts_with_all = ["file", "x", "y", "group", "form", "objective", "fix"])]
    pub link: Option<String>,
}

/// The bootstrap of `fit` and `compare`.
#[derive(Debug, Args)]
pub struct ResampleArgs {
    /// Bootstrap with B resamples (100 to 10000): rows resampled within each group with
    /// replacement, each resample refitted from the fit's parameters. `fit` prints
    /// bootstrap standard errors and percentile 95 % intervals of the parameters, the
    /// target's input and the compute-optimal split; `compare` the percentile 95 %
    /// interval of the multiplier (the two groups resampled independently). Uses every
    /// core.
    #[arg(long, value_name = "B", value_parser = clap::value_parser!(u64).range(100..=10_000))]
    pub bootstrap: Option<u64>,
    /// The bootstrap's seed: the same seed gives the same resamples, whatever the number
    /// of threads.
    #[arg(long, value_name = "S", requires = "bootstrap", default_value_t = scalescope_core::bootstrap::DEFAULT_SEED)]
    pub seed: u64,
    /// Threads for the bootstrap (default: every core).
    #[arg(long, value_name = "N", requires = "bootstrap")]
    pub threads: Option<std::num::NonZeroUsize>,
}

/// `scalescope compare`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file"])))]
pub struct CompareArgs {
    /// Data options.
    #[command(flatten)]
    pub data: DataArgs,
    /// Model options (the same for both groups).
    #[command(flatten)]
    pub model: ModelArgs,
    /// The baseline group and the compared group, e.g. `--groups baseline,new`.
    #[arg(long, value_name = "A,B", value_delimiter = ',', num_args = 1..=2, required = true)]
    pub groups: Vec<String>,
    /// The loss at which to compare.
    #[arg(long, value_name = "L", required = true)]
    pub at_loss: f64,
    /// The range of the curve (default: the losses both groups observed).
    #[arg(long, value_name = "LO,HI", value_delimiter = ',', num_args = 1..=2)]
    pub loss_range: Vec<f64>,
    /// Points on the curve.
    #[arg(long, value_name = "K", default_value_t = 20, value_parser = clap::value_parser!(u64).range(0..=1000))]
    pub points: u64,
    /// Bootstrap options: with --bootstrap B, a percentile interval of the multiplier
    /// besides the delta method's, at the loss and along the curve.
    #[command(flatten)]
    pub resample: ResampleArgs,
    /// Print JSON (`{multiplier, ci95, at_loss, curve, …}`; with --bootstrap also
    /// `ci95_bootstrap` and `bootstrap`) instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `scalescope share`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file"])))]
pub struct ShareArgs {
    /// Data options.
    #[command(flatten)]
    pub data: DataArgs,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Calculator options (stored in the link).
    #[command(flatten)]
    pub calc: CalcArgs,
    /// Share only the fitted laws (parameters and covariance), not the data.
    #[arg(long)]
    pub fit_only: bool,
    /// The page's address the link opens. Default: $SCALESCOPE_URL, or the address
    /// `cargo xtask serve` serves on.
    #[arg(long, value_name = "URL")]
    pub base: Option<String>,
}

/// `scalescope backtest`.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("source").required(true).args(["file"])))]
#[command(group(ArgGroup::new("held").args(["holdout_top", "holdout_above", "rolling"])))]
pub struct BacktestArgs {
    /// Data options.
    #[command(flatten)]
    pub data: DataArgs,
    /// Model options.
    #[command(flatten)]
    pub model: ModelArgs,
    /// Hold out the K largest distinct scales of each group (x, or compute 6·N·D for a law
    /// of N and D). Default: 1.
    #[arg(long, value_name = "K", value_parser = clap::value_parser!(u64).range(1..))]
    pub holdout_top: Option<u64>,
    /// Hold out every point whose scale (x, or compute 6·N·D for a law of N and D) is
    /// above X.
    #[arg(long, value_name = "X")]
    pub holdout_above: Option<f64>,
    /// Fit every prefix of the sorted scales that has enough points and predict the next
    /// scale.
    #[arg(long)]
    pub rolling: bool,
    /// Print JSON (`{groups: [{group, heldout: [...], mean_abs_rel_error, coverage}]}`,
    /// with `rolling` per group for --rolling) instead of tables.
    #[arg(long)]
    pub json: bool,
}
