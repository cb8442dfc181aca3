//! Turning the usable rows into [`Points`], one set per group.

use std::borrow::Cow;
use std::collections::HashMap;

use super::{Cell, Table};
use crate::Points;

impl Table {
    /// The usable rows as points, one entry per group in order of first appearance; the
    /// group is `None` when no column has the group role.
    ///
    /// Whether the table gives two inputs (N and D, or N and C with D = C / (6N)) rather
    /// than one x: what a law must take to use every column.
    pub fn two_inputs(&self) -> bool {
        let l = self.layout;
        l.x.is_none() && [l.n, l.d, l.c].iter().flatten().count() >= 2
    }

    /// `x` is the x column, or N, or the single one of D or C given; `d` is D when N and
    /// D (or N and C: D = C / (6N)) are given; a perplexity is turned into a loss ln(ppl);
    /// `weights` come from the weight column. Never empty: a table has a usable row.
    pub fn groups(&self) -> Vec<(Option<String>, Points)> {
        let l = self.layout;
        let two_inputs = self.two_inputs();
        let mut keys: Vec<Option<String>> = Vec::new();
        let mut index_of: HashMap<String, usize> = HashMap::new();
        let mut groups: Vec<Points> = Vec::new();
        for row in (0..self.len()).filter(|&r| self.usable[r]) {
            let num = |j: usize| self.cell(row, j).as_number().unwrap_or(f64::NAN);
            let (x, d) = match (l.x, l.n, l.d, l.c) {
                (Some(x), ..) => (num(x), None),
                (None, Some(n), Some(d), _) => (num(n), Some(num(d))),
                (None, Some(n), None, Some(c)) => (num(n), Some(num(c) / (6.0 * num(n)))),
                (None, None, Some(d), Some(c)) => (num(c) / (6.0 * num(d)), Some(num(d))),
                (None, n, d, c) => (n.or(d).or(c).map_or(f64::NAN, num), None),
            };
            let y = if l.y.1 { num(l.y.0).ln() } else { num(l.y.0) };
            let key: Option<Cow<'_, str>> = l.group.map(|g| match self.cell(row, g) {
                Cell::Text(t) => Cow::Borrowed(&**t),
                other => Cow::Owned(other.to_string()),
            });
            let found = match &key {
                Some(k) => index_of.get(k.as_ref()).copied(),
                None => (!groups.is_empty()).then_some(0),
            };
            let index = found.unwrap_or_else(|| {
                let key = key.map(Cow::into_owned);
                if let Some(k) = &key {
                    index_of.insert(k.clone(), groups.len());
                }
                keys.push(key);
                groups.push(Points {
                    x: Vec::new(),
                    d: two_inputs.then(Vec::new),
                    y: Vec::new(),
                    weights: l.weight.map(|_| Vec::new()),
                });
                groups.len() - 1
            });
            let p = &mut groups[index];
            p.x.push(x);
            if let (Some(ds), Some(d)) = (p.d.as_mut(), d) {
                ds.push(d);
            }
            p.y.push(y);
            if let (Some(ws), Some(w)) = (p.weights.as_mut(), l.weight) {
                ws.push(num(w));
            }
        }
        keys.into_iter().zip(groups).collect()
    }
}
