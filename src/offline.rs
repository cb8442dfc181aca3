//! Offline: after one visit the page opens with no network.
//!
//! A release build's post-build hook (`scripts/service-worker.mjs`) writes `sw.js` next to
//! `index.html`: the list of the build's files and a version made from their bytes. The
//! service worker keeps every file of its version in a cache of that version's name and
//! answers from it (the network only for what it does not hold). A new deploy means a new
//! `sw.js`; the browser installs it in the background (it fills its own cache) and it
//! waits. The page then says "A new version is ready — reload", and only that reload
//! switches: the new worker takes over, deletes the old caches, and the page reloads
//! whole. So a page never runs old and new files together (see `ARCHITECTURE.md`).
//!
//! Debug builds (`trunk serve`) register nothing: they have no `sw.js`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration};

/// The service worker as the page sees it (cheap to copy; main thread only).
#[derive(Clone, Copy)]
pub struct Offline {
    /// A new version of the page is installed and waits for a reload.
    pub update_ready: RwSignal<bool>,
    registration: StoredValue<Option<ServiceWorkerRegistration>, LocalStorage>,
    /// The user asked for the new version: reload once it controls the page.
    switching: StoredValue<bool>,
}

impl Offline {
    /// Registers the service worker (release builds) and watches for new versions.
    pub fn start() -> Offline {
        let me = Offline {
            update_ready: RwSignal::new(false),
            registration: StoredValue::new_local(None),
            switching: StoredValue::new(false),
        };
        if !cfg!(debug_assertions) {
            if let Some(container) = container() {
                me.register(container);
            }
        }
        me
    }

    fn register(self, container: ServiceWorkerContainer) {
        let had_controller = container.controller().is_some();
        let on_change = Closure::<dyn FnMut()>::new(move || {
            if self.switching.get_value() {
                let _ = window().location().reload();
            } else if had_controller {
                // Another tab switched to a newer version; this one still runs the old.
                self.update_ready.set(true);
            }
        });
        container.set_oncontrollerchange(Some(on_change.into_js_value().unchecked_ref()));
        // Relative: the worker and its scope (by default the script's directory) are the
        // page's own directory, so a page hosted under a sub-path works.
        let promise = container.register("./sw.js");
        spawn_local(async move {
            let Ok(reg) = wasm_bindgen_futures::JsFuture::from(promise).await else {
                return;
            };
            let reg: ServiceWorkerRegistration = reg.unchecked_into();
            self.check(&reg);
            let watched = reg.clone();
            let on_found = Closure::<dyn FnMut()>::new(move || {
                if let Some(worker) = watched.installing() {
                    let r = watched.clone();
                    let on_state = Closure::<dyn FnMut()>::new(move || self.check(&r));
                    worker.set_onstatechange(Some(on_state.into_js_value().unchecked_ref()));
                }
            });
            reg.set_onupdatefound(Some(on_found.into_js_value().unchecked_ref()));
            self.registration.set_value(Some(reg));
        });
    }

    /// A version waits while an older one controls the page: offer the reload.
    fn check(self, reg: &ServiceWorkerRegistration) {
        let controlled = container().is_some_and(|c| c.controller().is_some());
        if reg.waiting().is_some() && controlled {
            self.update_ready.set(true);
        }
    }

    /// Switches to the waiting version; the page reloads once it has taken over.
    pub fn reload(self) {
        self.switching.set_value(true);
        match self.registration.get_value().and_then(|r| r.waiting()) {
            Some(worker) => {
                if worker.post_message(&JsValue::from_str("skip")).is_err() {
                    let _ = window().location().reload();
                }
            }
            None => {
                let _ = window().location().reload();
            }
        }
    }
}

/// `navigator.serviceWorker`: absent outside secure contexts (plain http:// other than
/// localhost) and in browsers without service workers.
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    js_sys::Reflect::get(&navigator, &JsValue::from_str("serviceWorker"))
        .ok()
        .filter(|c| !c.is_undefined() && !c.is_null())
        .map(JsCast::unchecked_into)
}
