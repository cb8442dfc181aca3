//! Type-erased helpers for views. Each `<Show>`, each memo closure and each event closure is
//! its own type, and Leptos compiles its render and attach code once per type; these
//! helpers put a `dyn` in between, so every use shares one copy (size budget, issue 2).

use leptos::prelude::*;

/// What `<Show>` does, without a generic component per use: the condition `f`, memoised, for
/// a `move || cond.get().then(|| view! { … }.into_any())` block, which re-renders only when
/// the condition flips.
pub fn when(f: impl Fn() -> bool + Send + Sync + 'static) -> Memo<bool> {
    memo_bool(Box::new(f))
}

/// One non-generic memo for every condition.
fn memo_bool(f: Box<dyn Fn() -> bool + Send + Sync>) -> Memo<bool> {
    Memo::new(move |_| f())
}

/// An event handler as `Box<dyn FnMut(E)>`: `on:click=handler(move |_| …)` makes every
/// click handler one type, so the listener code is compiled once per event type.
pub fn handler<E: 'static>(f: impl FnMut(E) + 'static) -> Box<dyn FnMut(E)> {
    Box::new(f)
}

/// `collect_view()` into a `Vec<AnyView>`: Leptos compiles the rendering of a `Vec<T>` once
/// per `T`, so lists collected this way share one copy.
pub trait CollectAny {
    /// Collects the views, each type-erased.
    fn collect_any(self) -> Vec<AnyView>;
}

impl<I: Iterator<Item = V>, V: IntoAny> CollectAny for I {
    fn collect_any(self) -> Vec<AnyView> {
        self.map(IntoAny::into_any).collect()
    }
}
