//! A table's usable rows as isoFLOP runs.

use super::{IsoflopError, Run};
use crate::table::Table;

/// The usable rows of `table` as runs: N from the model-size column, the loss from the y
/// column (a perplexity as its log), and C from the compute column (`C`, `flops`,
/// `budget`…) or, where a row has none, `6·N·D` from the tokens column. A group column is
/// not used: the runs are grouped by budget.
///
/// # Errors
/// [`IsoflopError::Columns`] when the table has no N column, or neither C nor D.
pub fn runs_from_table(table: &Table) -> Result<Vec<Run>, IsoflopError> {
    let l = table.layout;
    let Some(n_col) = l.n else {
        let what = if l.x.is_some() {
            "the table's input is a generic x; mark the model-size column as N"
        } else {
            "the table has no model-size column"
        };
        return Err(IsoflopError::Columns(what.into()));
    };
    if l.c.is_none() && l.d.is_none() {
        return Err(IsoflopError::Columns(
            "the table has neither a compute nor a tokens column".into(),
        ));
    }
    let mut runs = Vec::with_capacity(table.usable_rows());
    for row in (0..table.len()).filter(|&r| table.usable[r]) {
        let num = |j: usize| table.cell(row, j).as_number().unwrap_or(f64::NAN);
        let n = num(n_col);
        let given = l.c.map(num).filter(|c| c.is_finite() && *c > 0.0);
        let c = given.unwrap_or_else(|| l.d.map_or(f64::NAN, |d| 6.0 * n * num(d)));
        let y = num(l.y.0);
        let loss = if l.y.1 { y.ln() } else { y };
        runs.push(Run { c, n, loss });
    }
    Ok(runs)
}
