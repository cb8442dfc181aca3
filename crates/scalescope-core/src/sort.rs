//! Stable sorting through one shared, non-generic routine.
//!
//! `slice::sort_by` is compiled anew for every element type and comparator; the page's
//! `.wasm` carried eight copies of it (issue 2, size budget). Every sort in the core and
//! the page goes through [`stable_order`] instead: it sorts indices with a single comparator
//! type, so the sorting code is compiled once. The results equal those of `sort_by`.

use std::cmp::Ordering;

/// The indices `0..len` in the order a stable sort by `cmp` (which compares two indices)
/// puts them: ties keep their original order.
///
/// ```
/// let v = [3, 1, 2, 1];
/// let order = scalescope_core::sort::stable_order(v.len(), &|a, b| v[a].cmp(&v[b]));
/// assert_eq!(order, [1, 3, 2, 0]);
/// ```
pub fn stable_order(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_by(|&a, &b| cmp(a, b));
    order
}

/// Sorts `v` stably by `cmp`, with the same result as `v.sort_by(cmp)`.
///
/// ```
/// let mut v = vec![(2.0_f64, 'a'), (1.0, 'b'), (2.0, 'c')];
/// scalescope_core::sort::sort_by(&mut v, |x, y| x.0.total_cmp(&y.0));
/// assert_eq!(v, [(1.0, 'b'), (2.0, 'a'), (2.0, 'c')]);
/// ```
pub fn sort_by<T>(v: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let order = {
        let s = v.as_slice();
        stable_order(s.len(), &|a, b| cmp(&s[a], &s[b]))
    };
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(
        order
            .iter()
            .filter_map(|&i| slots.get_mut(i).and_then(Option::take)),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Guards the promise the callers rely on: the same order as the standard stable sort,
    /// ties included.
    #[test]
    fn same_as_std_sort_by() {
        let mut state = 12345u64;
        for len in [0, 1, 2, 5, 19, 20, 21, 64, 300] {
            let v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((state >> 59) as u8, i)
                })
                .collect();
            let mut ours = v.clone();
            sort_by(&mut ours, |a, b| a.0.cmp(&b.0));
            let mut std = v;
            std.sort_by_key(|a| a.0);
            assert_eq!(ours, std, "len {len}");
        }
    }
}
