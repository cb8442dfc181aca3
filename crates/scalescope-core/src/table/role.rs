//! What each column means, and the guess made from its header.

use std::fmt;
use std::str::FromStr;

/// The meaning of a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The single input of a one-input form (any quantity).
    X,
    /// Model size N (parameters).
    N,
    /// Data size D (training tokens).
    D,
    /// Training compute C (FLOPs).
    C,
    /// The fitted quantity y, e.g. a loss.
    Loss,
    /// A perplexity, converted to a loss `ln(ppl)` (natural log) when points are made.
    Perplexity,
    /// Splits the rows into groups fitted separately (model family, run, series).
    Group,
    /// A non-negative weight per row.
    Weight,
    /// Not used.
    Ignore,
}

impl Role {
    /// Every role, in menu order (for a role selector).
    pub const ALL: [Role; 9] = [
        Role::X,
        Role::N,
        Role::D,
        Role::C,
        Role::Loss,
        Role::Perplexity,
        Role::Group,
        Role::Weight,
        Role::Ignore,
    ];

    /// The stable name: `x`, `N`, `D`, `C`, `loss`, `perplexity`, `group`, `weight`, `ignore`.
    pub fn name(self) -> &'static str {
        match self {
            Role::X => "x",
            Role::N => "N",
            Role::D => "D",
            Role::C => "C",
            Role::Loss => "loss",
            Role::Perplexity => "perplexity",
            Role::Group => "group",
            Role::Weight => "weight",
            Role::Ignore => "ignore",
        }
    }

    /// Whether the column is an input (x, N, D or C).
    pub fn is_input(self) -> bool {
        matches!(self, Role::X | Role::N | Role::D | Role::C)
    }

    /// Whether the column is the fitted quantity (loss or perplexity).
    pub fn is_y(self) -> bool {
        matches!(self, Role::Loss | Role::Perplexity)
    }

    /// Whether the column's cells must be numbers for a row to be used.
    pub fn is_numeric(self) -> bool {
        !matches!(self, Role::Group | Role::Ignore)
    }

    /// Guess a role from a header, or `None` when the header says nothing known.
    ///
    /// The header is lower-cased, a trailing unit in parentheses or brackets is dropped
    /// (`loss (nats)`), and spaces, `-`, `/` and `.` become `_`. Then:
    /// `n`, `params`, `parameters`, `model_size`, `n_params`, `num_params`… → N;
    /// `d`, `tokens`, `n_tokens`, `data`, `dataset_size`… → D;
    /// `c`, `flops`, `compute`, `budget`… → C; `loss`, `val_loss`, `y`, or any name ending in `_loss`
    /// (`val/loss` from W&B) → loss; `ppl`, `perplexity` or names ending in them → perplexity;
    /// `model`, `family`, `group`, `series`, `run`, `name` → group; `x` → x;
    /// `weight`, `weights`, `w` → weight.
    pub fn guess(header: &str) -> Option<Role> {
        let key = normalise(header);
        let role = match key.as_str() {
            "x" | "input" => Role::X,
            "n"
            | "params"
            | "parameters"
            | "model_size"
            | "n_params"
            | "num_params"
            | "nparams"
            | "n_parameters"
            | "num_parameters"
            | "param_count"
            | "parameter_count"
            | "non_embedding_params"
            | "size" => Role::N,
            "d" | "tokens" | "n_tokens" | "num_tokens" | "ntokens" | "data" | "dataset_size"
            | "data_size" | "train_tokens" | "training_tokens" | "tokens_seen" => Role::D,
            "c" | "flops" | "compute" | "budget" | "flop_budget" | "compute_budget"
            | "train_flops" | "training_flops" | "total_flops" => Role::C,
            "loss" | "y" | "nll" | "ce" | "cross_entropy" => Role::Loss,
            "ppl" | "perplexity" => Role::Perplexity,
            "model" | "family" | "group" | "series" | "run" | "name" | "model_name"
            | "run_name" | "model_family" => Role::Group,
            "weight" | "weights" | "w" => Role::Weight,
            k if k.ends_with("_loss") => Role::Loss,
            k if k.ends_with("_ppl") || k.ends_with("_perplexity") => Role::Perplexity,
            _ => return None,
        };
        Some(role)
    }
}

/// The header lowercased, without a trailing `(unit)` or `[unit]`, with ` -/.` as `_`.
///
/// Lowercasing is ASCII plus the Kelvin sign (U+212A → `k`), the only non-ASCII letter whose
/// lowercase is a lone ASCII letter: every key below is ASCII, so this matches exactly the
/// headers `str::to_lowercase` would, without its Unicode tables in the page (size budget).
fn normalise(header: &str) -> String {
    let mut h: String = header
        .trim()
        .chars()
        .map(|c| match c {
            '\u{212A}' => 'k',
            c => c.to_ascii_lowercase(),
        })
        .collect();
    for (open, close) in [('(', ')'), ('[', ']')] {
        if h.ends_with(close) {
            if let Some(pos) = h.rfind(open) {
                h.truncate(pos);
            }
        }
    }
    h.trim()
        .chars()
        .map(|c| {
            if matches!(c, ' ' | '-' | '/' | '.') {
                '_'
            } else {
                c
            }
        })
        .collect()
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Role`] from text.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown role '{0}': expected x, N, D, C, loss, perplexity, group, weight or ignore")]
pub struct ParseRoleError(pub String);

/// Parses [`Role::name`] (case-insensitive for the letters x, n, d, c).
impl FromStr for Role {
    type Err = ParseRoleError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // The names are ASCII without a `k`: ASCII case folding accepts what `to_lowercase`
        // equality did (see `normalise`).
        let text = s.trim();
        Role::ALL
            .into_iter()
            .find(|r| r.name().eq_ignore_ascii_case(text))
            .ok_or_else(|| ParseRoleError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guesses_from_real_headers() {
        let cases = [
            ("N", Some(Role::N)),
            ("Model Size", Some(Role::N)),
            ("n_params", Some(Role::N)),
            ("Tokens", Some(Role::D)),
            ("C", Some(Role::C)),
            ("FLOPs", Some(Role::C)),
            ("budget", Some(Role::C)),
            ("Compute budget", Some(Role::C)),
            ("loss (nats)", Some(Role::Loss)),
            ("val/loss", Some(Role::Loss)),
            ("val_loss", Some(Role::Loss)),
            ("eval ppl", Some(Role::Perplexity)),
            ("Perplexity", Some(Role::Perplexity)),
            ("model", Some(Role::Group)),
            ("Series", Some(Role::Group)),
            // Lowercasing as `str::to_lowercase` did: the Kelvin sign is a `k`, İ is not an `i`.
            ("TO\u{212A}ENS", Some(Role::D)),
            ("PERPLEX\u{130}TY", None),
            ("\u{DC}ber_loss", Some(Role::Loss)),
            ("step", None),
            ("", None),
        ];
        for (header, role) in cases {
            assert_eq!(Role::guess(header), role, "{header:?}");
        }
    }

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.name().parse::<Role>(), Ok(role));
        }
        assert!("lost".parse::<Role>().is_err());
        assert_eq!(" LOSS ".parse::<Role>(), Ok(Role::Loss));
        assert!("\u{130}gnore".parse::<Role>().is_err());
    }
}
