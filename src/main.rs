//! Entry point of the page: mounts the app.
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(scalescope_web::App);
}
