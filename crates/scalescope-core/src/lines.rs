//! [`Lines`]: a set of source line numbers — the points a user left out of a fit.
//!
//! A sorted vector without repeats rather than a `BTreeSet`: these sets hold the points a
//! person clicked, and a B-tree's insert, remove, search, clone and drop came to ~6.5 KB of the
//! page's wasm (size budget, issue 2). Membership is a binary search; iteration is in order.

/// Source line numbers (1-based), in increasing order, each at most once.
///
/// ```
/// use scalescope_core::Lines;
/// let mut lines: Lines = [7, 3, 7].into_iter().collect();
/// assert!(lines.insert(5));
/// assert!(!lines.insert(3));
/// assert!(lines.remove(7));
/// assert_eq!(lines.as_slice(), [3, 5]);
/// assert!(lines.contains(5) && !lines.contains(7));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Lines(Vec<usize>);

impl Lines {
    /// The empty set.
    pub const fn new() -> Self {
        Lines(Vec::new())
    }

    /// The set of `lines` when they strictly increase (as a set writes them), else `None`.
    /// Takes the vector as it is: no copy, no sort.
    pub fn from_increasing(lines: Vec<usize>) -> Option<Self> {
        lines
            .windows(2)
            .all(|p| p[0] < p[1])
            .then_some(Lines(lines))
    }

    /// Whether `line` is in the set.
    pub fn contains(&self, line: usize) -> bool {
        self.0.binary_search(&line).is_ok()
    }

    /// Adds `line`; `false` when it was already there.
    pub fn insert(&mut self, line: usize) -> bool {
        match self.0.binary_search(&line) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, line);
                true
            }
        }
    }

    /// Removes `line`; `false` when it was not there.
    pub fn remove(&mut self, line: usize) -> bool {
        match self.0.binary_search(&line) {
            Ok(at) => {
                self.0.remove(at);
                true
            }
            Err(_) => false,
        }
    }

    /// Adds `line` when it is absent, removes it when present.
    pub fn toggle(&mut self, line: usize) {
        if !self.remove(line) {
            self.insert(line);
        }
    }

    /// How many lines the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The lines in increasing order.
    pub fn as_slice(&self) -> &[usize] {
        &self.0
    }

    /// An iterator over the lines, in increasing order.
    pub fn iter(&self) -> std::iter::Copied<std::slice::Iter<'_, usize>> {
        self.0.iter().copied()
    }
}

impl FromIterator<usize> for Lines {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut v: Vec<usize> = iter.into_iter().collect();
        crate::sort::sort_by(&mut v, usize::cmp);
        v.dedup();
        Lines(v)
    }
}

impl<const N: usize> From<[usize; N]> for Lines {
    fn from(lines: [usize; N]) -> Self {
        lines.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Lines {
    type Item = usize;
    type IntoIter = std::iter::Copied<std::slice::Iter<'a, usize>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::Lines;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    proptest! {
        /// Any sequence of inserts, removes and toggles leaves the same set, in the same
        /// order, as a `BTreeSet` given the same calls, and both report the same changes.
        #[test]
        fn behaves_like_a_btree_set(ops in prop::collection::vec((0u8..3, 0usize..40), 0..200)) {
            let mut ours = Lines::new();
            let mut model = BTreeSet::new();
            for (op, line) in ops {
                match op {
                    0 => prop_assert_eq!(ours.insert(line), model.insert(line)),
                    1 => prop_assert_eq!(ours.remove(line), model.remove(&line)),
                    _ => {
                        ours.toggle(line);
                        if !model.remove(&line) {
                            model.insert(line);
                        }
                    }
                }
                prop_assert_eq!(ours.len(), model.len());
            }
            prop_assert!(ours.iter().eq(model.iter().copied()));
            for line in 0..40 {
                prop_assert_eq!(ours.contains(line), model.contains(&line));
            }
        }

        /// Only strictly increasing lines are taken as they are.
        #[test]
        fn from_increasing_takes_only_increasing_lines(v in prop::collection::vec(0usize..50, 0..20)) {
            let increasing = v.windows(2).all(|p| p[0] < p[1]);
            match Lines::from_increasing(v.clone()) {
                Some(lines) => {
                    prop_assert!(increasing);
                    prop_assert_eq!(lines.as_slice(), v.as_slice());
                }
                None => prop_assert!(!increasing),
            }
        }

        /// Collecting sorts and drops repeats, like collecting into a `BTreeSet`.
        #[test]
        fn collect_sorts_and_dedups(v in prop::collection::vec(0usize..1000, 0..100)) {
            let ours: Lines = v.iter().copied().collect();
            let model: BTreeSet<usize> = v.into_iter().collect();
            prop_assert!(ours.iter().eq(model.into_iter()));
        }
    }
}
