//! Entry point of the page's wasm: in the window it mounts the app; in the page's own Web
//! Worker (the same wasm, see `scalescope_web::engine`) it answers read-and-fit requests.
fn main() {
    console_error_panic_hook::set_once();
    match scalescope_web::engine::worker_scope() {
        Some(scope) => scalescope_web::engine::serve(scope),
        None => leptos::mount::mount_to_body(scalescope_web::App),
    }
}
