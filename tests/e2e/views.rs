//! Every view renders without clipping, light and dark, one-input and chinchilla, and has
//! no serious or critical accessibility violation (axe-core). With
//! `SCALESCOPE_SHOTS=<dir>` it also saves the screenshots (`cargo xtask screenshots` puts
//! them in docs/ for the README).

use crate::harness::{
    axe_violations, dist_dir, js, serve, shot, wait_for, wait_js, Driver, PAINTED_PIXELS,
};
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
    let found = axe_violations(c).await;
    assert!(
        found.is_empty(),
        "{name}: axe-core found\n{}",
        found.join("\n")
    );
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

/// The chart's data and fitted values are a table a screen reader can reach: one row per
/// observation, the fitted value of the law at it, and no accessibility violation with the
/// table open.
#[tokio::test(flavor = "multi_thread")]
async fn the_chart_is_also_a_table() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&format!("http://{addr}/"))
        .await
        .expect("page loads");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    wait_for(&c, "[data-testid=plot-table-toggle]")
        .await
        .click()
        .await
        .expect("open the table");
    // Rows: group, line, x, observed, fitted, band, fit; the preview has a row per data line.
    let rows = wait_js(
        &c,
        "(() => { const r = Array.from(document.querySelectorAll('[data-testid=plot-table] tbody tr')) \
           .map(tr => Array.from(tr.cells).map(td => td.textContent)); return r.length && r; })()",
    )
    .await;
    let rows: Vec<Vec<String>> = serde_json::from_value(rows).unwrap_or_default();
    let lines = js(
        &c,
        "document.querySelectorAll('[data-testid=preview] tbody tr').length",
    )
    .await;
    assert_eq!(Some(rows.len() as u64), lines.as_u64(), "{rows:?}");
    // The default example's two families of the saturating law: every fitted value is the
    // fitted law at the row's x, which the fit table gives as E, A, alpha per family.
    let params = wait_js(
        &c,
        "Object.fromEntries(Array.from(document.querySelectorAll('[data-testid=fit-table] tr[data-group]')) \
           .map(tr => [tr.dataset.group, Object.fromEntries(Array.from(tr.querySelectorAll('[data-param]')) \
             .map(p => [p.dataset.param, parseFloat(p.dataset.value)]))]))",
    )
    .await;
    for row in &rows {
        let [group, _line, x, observed, fitted, _band, _fit] = row.as_slice() else {
            panic!("row {row:?}");
        };
        let p = &params[group.as_str()];
        let (e, a, alpha) = (p["E"].as_f64(), p["A"].as_f64(), p["alpha"].as_f64());
        let (Some(e), Some(a), Some(alpha)) = (e, a, alpha) else {
            panic!("no parameters for {group}: {params}");
        };
        let x = parse_scaled(x);
        let law = e + a * x.powf(-alpha);
        let fitted: f64 = fitted.parse().unwrap_or(f64::NAN);
        // Five significant digits in the table.
        assert!(
            (fitted / law - 1.0).abs() < 1e-4,
            "{row:?}: law gives {law}"
        );
        let observed: f64 = observed.parse().unwrap_or(f64::NAN);
        assert!((observed / fitted - 1.0).abs() < 0.1, "{row:?}");
    }
    shot(&c, Some("[data-testid=plot-table]"), "plot-table").await;
    let found = axe_violations(&c).await;
    assert!(found.is_empty(), "axe-core found\n{}", found.join("\n"));
    c.close().await.expect("close");
}

/// "70M", "1.4B", "3e12" → the number (the table writes x as the chart's axis does).
fn parse_scaled(text: &str) -> f64 {
    let (digits, factor) = match text.chars().last() {
        Some('K') => (&text[..text.len() - 1], 1e3),
        Some('M') => (&text[..text.len() - 1], 1e6),
        Some('B') => (&text[..text.len() - 1], 1e9),
        Some('T') => (&text[..text.len() - 1], 1e12),
        _ => (text, 1.0),
    };
    digits.parse::<f64>().map_or(f64::NAN, |v| v * factor)
}
