//! Stable sorts of small collections through one compiled sort.
//!
//! `slice::sort_by` is compiled anew for every element type and comparator: about 3 KB of
//! WebAssembly each, and the page had a dozen (candidate starts ranked by objective, skipped
//! rows by line, hover targets by pixel…), a tenth of its size budget. [`sort_by`] and
//! [`sort_by_key`] sort the positions `0..n` with a comparator behind a `dyn` reference, so
//! std's sort is compiled once, then move the items into that order: every sort of the
//! crate and the page goes through them (`sort_by(&mut v, f64::total_cmp)` for numbers). The
//! price is an index per item and a call through a pointer per comparison, a few
//! milliseconds for 10⁵ numbers; the longest sort, the median absolute residual of a Huber
//! fit's smoothed sandwich, sorts one number per row once per fit.

use std::cmp::Ordering;

/// Sorts `items` by `compare`, stable (equal items keep their order), like `slice::sort_by`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    let order = {
        let items = &*items;
        sorted_positions(items.len(), &|a, b| compare(&items[a], &items[b]))
    };
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Sorts `items` by the key `key` gives each, stable, like `slice::sort_by_key`.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// Sorts `items` by an `f64` score, smallest first (`f64::total_cmp`: NaN last), stable.
pub fn sort_by_score<T>(items: &mut Vec<T>, score: impl Fn(&T) -> f64) {
    sort_by(items, |a, b| score(a).total_cmp(&score(b)));
}

/// The positions `0..n` in the order `compare` sorts them (stable): the one instantiation
/// of std's sort behind this module.
fn sorted_positions(n: usize, compare: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| compare(a, b));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as std's stable sort, ties included (the payload tells them apart).
        #[test]
        fn matches_std_stable_sort(keys in proptest::collection::vec(-3i32..3, 0..60)) {
            let mut ours: Vec<(i32, usize)> = keys.iter().copied().zip(0..).collect();
            let mut std_sorted = ours.clone();
            sort_by_key(&mut ours, |p| p.0);
            std_sorted.sort_by_key(|p| p.0);
            prop_assert_eq!(ours, std_sorted);
        }

        /// Scores sort as `f64::total_cmp` does, NaN last, stable on ties.
        #[test]
        fn scores_sort_like_total_cmp(scores in proptest::collection::vec(
            prop_oneof![Just(f64::NAN), Just(0.0), -1e3..1e3f64], 0..60)) {
            let mut ours: Vec<(f64, usize)> = scores.iter().copied().zip(0..).collect();
            let mut std_sorted = ours.clone();
            sort_by_score(&mut ours, |p| p.0);
            std_sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
            let positions = |v: &[(f64, usize)]| v.iter().map(|p| p.1).collect::<Vec<_>>();
            prop_assert_eq!(positions(&ours), positions(&std_sorted));
        }
    }
}
