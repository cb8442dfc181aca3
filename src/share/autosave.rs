//! Opening links and autosaving: on start the page opens the `#…` link if there is one
//! (keeping the autosaved work on offer), or else the autosaved work; every change is saved
//! to localStorage after a pause. A link or saved state that cannot be read is reported in
//! the error area and changes nothing; what storage holds and what to say about it is
//! [`super::saved`]'s.

use super::browser::{clear_hash, location_hash, storage};
use super::saved::{self, Store, BEFORE_LINK_KEY, NEWER_KEY};
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::share::{body, decode, Link};
use std::time::Duration;

/// Changes are saved once they pause this long.
const DEBOUNCE: Duration = Duration::from_millis(400);

/// Work the page offers back, and why it was put away.
#[derive(Clone, PartialEq)]
pub struct Offer {
    /// The work.
    pub link: Link,
    /// Where it is kept until restored.
    pub key: &'static str,
}

impl Offer {
    /// The sentence before the restore button.
    pub fn reason(&self) -> &'static str {
        if self.key == NEWER_KEY {
            "Work that an older version of the page could not open was kept aside. "
        } else {
            "A share link replaced what you had open. "
        }
    }
}

/// What the share panel needs from start-up: the work on offer, if any.
#[derive(Clone, Copy)]
pub struct ShareCtx {
    /// The work offered back: from before a link was opened, or kept aside by an older page.
    pub previous: RwSignal<Option<Offer>>,
}

impl ShareCtx {
    /// Puts the offered work back.
    pub fn restore_previous(self, state: AppState) {
        if let Some(offer) = self.previous.get_untracked() {
            state.restore(offer.link);
            self.previous.set(None);
            if let Some(s) = storage() {
                s.remove(offer.key);
            }
        }
    }
}

/// The work on the page as a link: fit-only while a fit-only link is open, else full.
pub fn current_link(state: AppState) -> Link {
    if state.shared_fits.get().is_some() {
        let x = state
            .csv
            .with(|t| super::fit_only_input(t))
            .unwrap_or_else(|| "x".into());
        Link::FitOnly(state.fit_only_state(&x))
    } else {
        Link::Full(state.full_state())
    }
}

/// Opens the start-up link or the autosaved work, then keeps saving. Call once.
pub fn start(state: AppState) -> ShareCtx {
    let ctx = ShareCtx {
        previous: RwSignal::new(None),
    };
    let store = storage();
    let found = store.as_ref().map(|s| saved::load(s));
    let (work, notice, aside, may_save) = match found {
        Some(f) => (f.work, f.notice, f.aside, f.may_save),
        None => (None, None, None, true),
    };
    let hash = location_hash();
    let opened = (hash.len() > 1).then(|| decode(&hash));
    match opened {
        Some(Ok(link)) => {
            // The autosaved work is a fragment already: kept as it is, not compressed again.
            let before = match (work, store.as_ref()) {
                (Some(prev), Some(s)) => s.read(saved::AUTOSAVE_KEY).map(|f| (prev, Some(f))),
                _ => store
                    .as_ref()
                    .and_then(|s| s.read(BEFORE_LINK_KEY))
                    .and_then(|t| decode(&t).ok().map(|l| (l, Some(t)))),
            };
            open_link(state, ctx, link, before);
        }
        Some(Err(e)) => {
            if let Some(w) = work {
                state.restore(w);
            }
            state.link_error.set(Some(link_message(&e)));
        }
        None => {
            if let Some(w) = work {
                state.restore(w);
            }
        }
    }
    if let Some(n) = notice {
        tell(state, n.to_string());
    }
    if ctx.previous.with_untracked(Option::is_none) {
        ctx.previous.set(aside.map(|link| Offer {
            link,
            key: NEWER_KEY,
        }));
    }
    if may_save {
        autosave(state);
    }
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = location_hash();
        if hash.len() <= 1 {
            return;
        }
        match decode(&hash) {
            Ok(link) => {
                let before = current_link(state);
                open_link(state, ctx, link, Some((before, None)));
            }
            Err(e) => state.link_error.set(Some(link_message(&e))),
        }
    });
    ctx
}

/// Adds `message` to the error area (after what is there).
fn tell(state: AppState, message: String) {
    state.link_error.update(|e| {
        *e = Some(match e.take() {
            Some(first) => format!("{first} {message}"),
            None => message,
        });
    });
}

fn link_message(e: &scalescope_core::share::ShareError) -> String {
    format!("This share link could not be opened: {e}. Nothing on the page was changed.")
}

/// Opens `link`, offering `before` back when it differs. `before` comes with its fragment
/// when that is known (the autosaved text); otherwise the engine compresses it off the main
/// thread before it is stored.
fn open_link(state: AppState, ctx: ShareCtx, link: Link, before: Option<(Link, Option<String>)>) {
    let offer = before.filter(|(b, _)| *b != link);
    state.restore(link);
    clear_hash();
    let Some((prev, fragment)) = offer else {
        ctx.previous.set(None);
        return;
    };
    let offered = prev.clone();
    let keep = move |fragment: String| {
        // Not when the offer was taken (or replaced) while the engine compressed it.
        let still = ctx.previous.with_untracked(|p| {
            p.as_ref()
                .is_some_and(|o| o.key == BEFORE_LINK_KEY && o.link == offered)
        });
        if still {
            if let Some(s) = storage() {
                s.write(BEFORE_LINK_KEY, &fragment);
            }
        }
    };
    ctx.previous.set(Some(Offer {
        link: prev.clone(),
        key: BEFORE_LINK_KEY,
    }));
    match fragment {
        Some(f) => keep(f),
        None => {
            let body = body(&prev);
            state.engine.with_value(|e| e.encode_link(body, keep));
        }
    }
}

/// Saves the work after every change (once changes pause for [`DEBOUNCE`]).
fn autosave(state: AppState) {
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let warned = StoredValue::new(false);
    Effect::new(move |_| {
        let link = current_link(state);
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                // Compressing 10⁵ rows takes long: the engine does it off the main thread.
                let body = body(&link);
                let done = move |fragment: String| save(state, warned, &fragment);
                state.engine.with_value(|e| e.encode_link(body, done));
            },
            DEBOUNCE,
        )
        .ok();
        pending.set_value(handle);
    });
}

/// Stores an encoded state; says once if the browser refuses.
fn save(state: AppState, warned: StoredValue<bool>, fragment: &str) {
    let saved = match storage() {
        Some(s) => saved::save(&s, fragment),
        None => Err(saved::SaveError::NoStorage),
    };
    if let Err(e) = saved {
        if !warned.get_value() {
            warned.set_value(true);
            tell(state, e.to_string());
        }
    }
}
