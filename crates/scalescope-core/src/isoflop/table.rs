//! A table's usable rows as isoFLOP runs.

use super::{IsoflopError, Run};
use crate::table::{Table, Warning};

/// The usable rows of `table` as runs: N from the model-size column (or `C/(6·D)`
/// without one), the loss from the y column (a perplexity as its log), and C from the
/// compute column (`C`, `flops`, `budget`…) or, where a row has none, `6·N·D` from the
/// tokens column. A group column is not used: the runs are grouped by budget.
///
/// # Errors
/// [`IsoflopError::Columns`] when the table does not give two of N, D and C.
pub fn runs_from_table(table: &Table) -> Result<Vec<Run>, IsoflopError> {
    let l = table.layout;
    if l.x.is_some() {
        return Err(IsoflopError::Columns(
            "the table's input is a generic x; mark the model-size column as N".into(),
        ));
    }
    if [l.n, l.d, l.c].iter().flatten().count() < 2 {
        return Err(IsoflopError::Columns(
            "the table gives only one of them".into(),
        ));
    }
    let mut runs = Vec::with_capacity(table.usable_rows());
    for row in (0..table.len()).filter(|&r| table.usable[r]) {
        let num = |j: usize| table.cell(row, j).as_number().unwrap_or(f64::NAN);
        let n = match (l.n, l.c, l.d) {
            (Some(n), ..) => num(n),
            (None, Some(c), Some(d)) => num(c) / (6.0 * num(d)),
            _ => f64::NAN,
        };
        let given = l.c.map(num).filter(|c| c.is_finite() && *c > 0.0);
        let c = given.unwrap_or_else(|| l.d.map_or(f64::NAN, |d| 6.0 * n * num(d)));
        let y = num(l.y.0);
        let loss = if l.y.1 { y.ln() } else { y };
        runs.push(Run { c, n, loss });
    }
    Ok(runs)
}

/// The reader's warnings that concern an isoFLOP profile (all but "D computed as C/(6N)":
/// the profile needs no D).
pub fn reader_warnings(table: &Table) -> Vec<String> {
    table
        .warnings()
        .iter()
        .filter(|w| !matches!(w, Warning::DerivedD))
        .map(ToString::to_string)
        .collect()
}
