//! "A new version is ready — reload": shown when a newer version of the page has installed
//! itself for offline use and waits (see [`crate::offline`]).

use crate::offline::Offline;
use leptos::prelude::*;

/// The note and its reload button (empty until a new version waits).
#[component]
pub fn UpdateNote() -> impl IntoView {
    let offline = Offline::start();
    view! {
        <div class="update-note" role="status" data-testid="update-note">
            <Show when=move || offline.update_ready.get()>
                "A new version is ready — "
                <button data-testid="update-reload" on:click=move |_| offline.reload()>"reload"</button>
            </Show>
        </div>
    }
}
