//! Browser tests (wasm-bindgen-test in headless Chromium): the app mounts, fits the default
//! example and paints the chart; the chart code paints on a canvas at HiDPI scale.
//!
//! Run: `cargo test -p scalescope-web --target wasm32-unknown-unknown --test browser`
//! (the runner is wasm-bindgen-test-runner, set in .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

/// Pixels of `canvas` that differ from its top-left pixel.
fn painted(canvas: &web_sys::HtmlCanvasElement) -> usize {
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into().ok())
        .expect("2d context");
    let data = ctx
        .get_image_data(0.0, 0.0, canvas.width() as f64, canvas.height() as f64)
        .expect("image data")
        .data();
    data.chunks_exact(4).filter(|p| p[..3] != data[..3]).count()
}

#[wasm_bindgen_test]
async fn app_mounts_fits_the_example_and_paints() {
    leptos::mount::mount_to_body(scalescope_web::App);
    let mut cells = 0;
    for _ in 0..100 {
        sleep(20).await;
        cells = document()
            .query_selector_all("[data-testid=fit-table] [data-param]")
            .map(|l| l.length())
            .unwrap_or(0);
        if cells > 0 {
            break;
        }
    }
    // Two families × (E, A, alpha).
    assert_eq!(cells, 6);
    // Under the test runner there is no Trunk-built glue to start a worker from: the engine
    // runs the same session inline (the end-to-end tests cover the worker).
    let engine = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"__scalescopeEngine".into()).ok())
        .and_then(|v| v.as_string());
    assert_eq!(engine.as_deref(), Some("inline"));
    let canvas: web_sys::HtmlCanvasElement = document()
        .query_selector("[data-testid=plot]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into().ok())
        .expect("the plot canvas");
    sleep(50).await;
    let dpr = web_sys::window()
        .map(|w| w.device_pixel_ratio())
        .unwrap_or(1.0);
    // Backing store = CSS size × devicePixelRatio.
    assert_eq!(
        canvas.width(),
        (canvas.client_width() as f64 * dpr).round() as u32
    );
    assert!(
        painted(&canvas) > 5000,
        "painted pixels: {}",
        painted(&canvas)
    );
}
