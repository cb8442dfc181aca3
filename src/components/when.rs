//! What `<Show>` does, without a generic component per use: a memoised condition, read by a
//! `move || cond.get().then(|| view! { … }.into_any())` block. Every use shares one memo type
//! and one render type, which keeps the page's wasm small (size budget, issue 2).

use leptos::prelude::*;

/// The condition `f`, memoised: the block that reads it re-renders only when it flips.
pub fn when(f: impl Fn() -> bool + Send + Sync + 'static) -> Memo<bool> {
    memo_bool(Box::new(f))
}

/// One non-generic memo for every condition.
fn memo_bool(f: Box<dyn Fn() -> bool + Send + Sync>) -> Memo<bool> {
    Memo::new(move |_| f())
}
