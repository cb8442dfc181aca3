//! Every view renders without clipping, light and dark, one-input and chinchilla. With
//! `SCALESCOPE_SHOTS=<dir>` it also saves the screenshots (`cargo xtask screenshots` puts
//! them in docs/ for the README).

use crate::harness::{dist_dir, js, serve, shot, wait_for, wait_js, Driver, PAINTED_PIXELS};
use fantoccini::Client;

async fn check_view(c: &Client, name: &str) {
    // Drawn, and nothing wider than the window (no horizontal clipping or scrolling).
    wait_js(c, &format!("{PAINTED_PIXELS} > 5000")).await;
    let overflow = js(
        c,
        "document.documentElement.scrollWidth - window.innerWidth",
    )
    .await;
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "{name}: page wider than the window by {overflow}px"
    );
    shot(c, None, name).await;
}

async fn toggle_theme(c: &Client) {
    c.execute("document.querySelector('.theme-toggle').click();", vec![])
        .await
        .expect("toggle");
}

#[tokio::test(flavor = "multi_thread")]
async fn light_dark_one_input_and_chinchilla() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.set_window_size(1400, 1300).await.expect("window size");
    c.goto(&format!("http://{addr}/"))
        .await
        .expect("page loads");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    // Headless Chromium reports prefers-color-scheme: light, so the page opens light.
    wait_js(&c, "document.querySelector('.app.light') !== null").await;
    check_view(&c, "light-families").await;
    toggle_theme(&c).await;
    wait_js(&c, "document.querySelector('.app.dark') !== null").await;
    check_view(&c, "dark-families").await;

    c.execute(
        "const s = document.querySelector('[data-testid=example-select]'); s.value = 'chinchilla'; \
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await
    .expect("load chinchilla");
    wait_for(&c, "[data-testid=fit-table] [data-param=beta]").await;
    wait_for(&c, "[data-testid=x-axis-select]").await;
    check_view(&c, "dark-chinchilla").await;
    toggle_theme(&c).await;
    wait_js(&c, "document.querySelector('.app.light') !== null").await;
    check_view(&c, "light-chinchilla").await;
    c.close().await.expect("close");
}
