//! Opening links and autosaving: on start the page opens the `#…` link if there is one
//! (keeping the autosaved work on offer), or else the autosaved work; every change is saved
//! to localStorage after a pause. A link or saved state that cannot be read is reported in
//! the error area and changes nothing.

use super::browser::{clear_hash, location_hash, storage};
use crate::state::AppState;
use leptos::prelude::*;
use scalescope_core::share::{body, decode, encode, Link};
use std::time::Duration;

/// The localStorage key of the autosaved work (a link fragment).
pub const AUTOSAVE_KEY: &str = "scalescope.autosave";
/// Where the work from before an opened link is kept until it is restored or replaced.
const BEFORE_LINK_KEY: &str = "scalescope.before-link";
/// Changes are saved once they pause this long.
const DEBOUNCE: Duration = Duration::from_millis(400);

/// What the share panel needs from start-up: the work a link replaced, if any.
#[derive(Clone, Copy)]
pub struct ShareCtx {
    /// The work on the page before a link was opened (offered back).
    pub previous: RwSignal<Option<Link>>,
}

impl ShareCtx {
    /// Puts the work from before the link back.
    pub fn restore_previous(self, state: AppState) {
        if let Some(link) = self.previous.get_untracked() {
            state.restore(link);
            self.previous.set(None);
            if let Some(s) = storage() {
                let _ = s.remove_item(BEFORE_LINK_KEY);
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
    let saved = storage().and_then(|s| s.get_item(AUTOSAVE_KEY).ok().flatten());
    let saved = saved.map(|text| decode(&text));
    let hash = location_hash();
    let opened = (hash.len() > 1).then(|| decode(&hash));
    match opened {
        Some(Ok(link)) => {
            let before = match saved {
                Some(Ok(prev)) => Some(prev),
                _ => storage()
                    .and_then(|s| s.get_item(BEFORE_LINK_KEY).ok().flatten())
                    .and_then(|t| decode(&t).ok()),
            };
            open_link(state, ctx, link, before);
        }
        Some(Err(e)) => {
            restore_saved(state, saved);
            state.link_error.set(Some(link_message(&e)));
        }
        None => restore_saved(state, saved),
    }
    autosave(state);
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = location_hash();
        if hash.len() <= 1 {
            return;
        }
        match decode(&hash) {
            Ok(link) => {
                let before = current_link(state);
                open_link(state, ctx, link, Some(before));
            }
            Err(e) => state.link_error.set(Some(link_message(&e))),
        }
    });
    ctx
}

fn link_message(e: &scalescope_core::share::ShareError) -> String {
    format!("This share link could not be opened: {e}. Nothing on the page was changed.")
}

/// Opens `link`, offering `before` back when it differs.
fn open_link(state: AppState, ctx: ShareCtx, link: Link, before: Option<Link>) {
    let offer = before.filter(|b| *b != link);
    state.restore(link);
    clear_hash();
    if let Some(prev) = &offer {
        if let Some(s) = storage() {
            let _ = s.set_item(BEFORE_LINK_KEY, &encode(prev));
        }
    }
    ctx.previous.set(offer);
}

fn restore_saved(state: AppState, saved: Option<Result<Link, scalescope_core::share::ShareError>>) {
    match saved {
        Some(Ok(link)) => state.restore(link),
        Some(Err(e)) => state.link_error.set(Some(format!(
            "Your autosaved work could not be restored ({e}); the page starts from the \
             example."
        ))),
        None => {}
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
    let saved = storage().map(|s| s.set_item(AUTOSAVE_KEY, fragment));
    let problem = match saved {
                    None => Some("Autosave is off: this browser does not allow the page to store data."),
                    Some(Err(_)) => Some("Autosave failed: the work is too large for this browser's storage. Use a share link or an export to keep it."),
                    Some(Ok(())) => None,
                };
    if let Some(p) = problem {
        if !warned.get_value() {
            warned.set_value(true);
            state.link_error.set(Some(p.to_string()));
        }
    }
}
