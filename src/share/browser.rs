//! The browser services shares and exports need: localStorage, the location's fragment,
//! the clipboard and downloads. Each one fails softly (a `false` or `None`), never throws.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// The page's localStorage, when the browser allows it.
pub fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// The page's address without its fragment: the base of a share link.
pub fn page_url() -> String {
    let href = window().location().href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// The location's fragment, with its `#` (empty without one).
pub fn location_hash() -> String {
    window().location().hash().unwrap_or_default()
}

/// Drops the fragment from the address bar (no reload, no history entry), so a reload
/// shows the autosaved work instead of opening the link again.
pub fn clear_hash() {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&page_url()));
    }
}

/// Copies `text` with the Clipboard API; `false` when there is none or it refuses.
pub async fn copy(text: &str) -> bool {
    let navigator = window().navigator();
    let has_clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))
        .is_ok_and(|c| !c.is_undefined() && !c.is_null());
    if !has_clipboard {
        return false;
    }
    let promise = navigator.clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// Offers `href` (a data: or blob: URL) as a download named `name`.
pub fn download_url(name: &str, href: &str) -> bool {
    let Some(a) = document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    a.set_href(href);
    a.set_download(name);
    a.click();
    true
}

/// Offers `text` as a download named `name` with MIME type `mime`.
pub fn download_text(name: &str, mime: &str, text: &str) -> bool {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return false;
    };
    let ok = download_url(name, &url);
    // Give the download time to start before the URL is released.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    ok
}
