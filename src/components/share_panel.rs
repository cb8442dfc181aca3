//! Share: a button that makes the link (the whole work, or only the fitted laws), copies
//! it and shows it in a read-only field; its length, and the fit-only link suggested when
//! the full one is long. Also the offer to go back to the work a link replaced (or that an
//! older version of the page kept aside).

use crate::share::browser::{copy, page_url};
use crate::share::{self, ShareCtx};
use crate::state::{AppState, LONG_TEXT};
use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;
use scalescope_core::share::{url, Link};

/// Links longer than this may be cut by chats, mail clients and some browsers.
const LONG_LINK: usize = 8000;

/// The share button, the link field and the restore offer.
#[component]
pub fn SharePanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let ctx: ShareCtx = share::start(state);
    let choose_fit_only = RwSignal::new(false);
    let shown = RwSignal::new(false);
    let copied = RwSignal::new(None::<bool>);
    let field = NodeRef::<Input>::new();
    let is_shared = move || state.shared_fits.get().is_some();
    // A long text (`state::LONG_TEXT`) is shared fit-only.
    let too_big = state.long_text;
    let fit_only = Signal::derive(move || choose_fit_only.get() || too_big.get());
    let make = move |fit_only: bool| {
        // Fit-only of our own fits: built directly, not from the full state (which would
        // copy the whole text only to drop it).
        let link = if fit_only && state.shared_fits.get().is_none() {
            Link::FitOnly(state.fit_only_state(&state.input_name()))
        } else {
            share::current_link(state)
        };
        url(&page_url(), &link)
    };
    let link = Memo::new(move |_| shown.get().then(|| make(fit_only.get())));
    let on_share = move |_| {
        shown.set(true);
        copied.set(None);
        let text = make(fit_only.get_untracked());
        spawn_local(async move {
            let ok = copy(&text).await;
            copied.set(Some(ok));
            if !ok {
                if let Some(el) = field.get_untracked() {
                    el.select();
                }
            }
        });
    };
    let status = move || {
        let len = link.get()?.len();
        let how = match copied.get() {
            Some(true) => "copied to the clipboard",
            Some(false) => "selected: press Ctrl+C (⌘C) to copy",
            None => "copying…",
        };
        Some(format!("{len} characters — {how}"))
    };
    let long = move || {
        let len = link.get()?.len();
        (len > LONG_LINK && !fit_only.get()).then(|| {
            let short = make(true).len();
            format!(
                "This link is long ({len} characters): some chats and browsers cut links over \
                 about {LONG_LINK}. The fit-only link ({short} characters) carries the fitted \
                 laws without the data."
            )
        })
    };
    view! {
        <section class="share-panel" aria-labelledby="share-title">
            <h2 id="share-title">"Share"</h2>
            <div class="share-row">
                <button data-testid="share-button" on:click=on_share>"Copy share link"</button>
                <label>
                    <input
                        type="checkbox"
                        data-testid="share-fit-only"
                        prop:checked=move || fit_only.get() || is_shared()
                        disabled=move || is_shared() || too_big.get()
                        on:change=move |_| choose_fit_only.update(|f| *f = !*f)
                    />
                    " fit only (laws and uncertainty, no data)"
                </label>
            </div>
            <p class="note" data-testid="share-too-big" hidden=move || !too_big.get()>
                {format!(
                    "The data (over {} KB of text) are too large for a link: the link carries \
                     the fitted laws and their uncertainty. Send the data file alongside it.",
                    LONG_TEXT / 1024
                )}
            </p>
            <div hidden=move || !shown.get()>
                <input
                    type="text"
                    readonly=true
                    class="share-link"
                    data-testid="share-link"
                    aria-label="Share link"
                    node_ref=field
                    prop:value=move || link.get().unwrap_or_default()
                    on:focus=move |_| {
                        if let Some(el) = field.get_untracked() {
                            el.select();
                        }
                    }
                />
                <p class="note" data-testid="share-status">{move || status()}</p>
            </div>
            <p class="note warn">{move || long()}</p>
            <p class="note" data-testid="fit-only-note" hidden=move || !is_shared()>
                    "Opened from a fit-only link: the table, curves and calculator use the shared \
                     parameters and covariance; the data were not shared, so there are no points \
                 or goodness-of-fit numbers. Paste a table to fit your own."
            </p>
            <p class="note restore" hidden=move || ctx.previous.with(Option::is_none)>
                    {move || ctx.previous.with(|p| p.as_ref().map(|o| o.reason()))}
                    <button data-testid="restore-autosave" on:click=move |_| ctx.restore_previous(state)>
                        "Restore your previous work"
                    </button>
            </p>
        </section>
    }
}
