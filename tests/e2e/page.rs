//! The page opens on its example, fitted and plotted; it also works from a sub-path.

use crate::harness::{dist_dir, serve, wait_for, wait_js, Driver, PAINTED_PIXELS};

async fn opens_with_fitted_example(prefix: &'static str) {
    let addr = serve(dist_dir(), prefix).await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&format!("http://{addr}{prefix}"))
        .await
        .expect("page loads");

    // Fitted parameters in the DOM: every parameter cell holds a finite number.
    let table = wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    let _ = table;
    let values = wait_js(
        &c,
        "Array.from(document.querySelectorAll('[data-testid=fit-table] [data-param]')).map(e => parseFloat(e.dataset.value))",
    )
    .await;
    let values: Vec<f64> = values
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_f64()).collect())
        .unwrap_or_default();
    // The default example: two families × (E, A, alpha).
    assert_eq!(values.len(), 6, "parameter cells: {values:?}");
    assert!(values.iter().all(|v| v.is_finite()), "{values:?}");
    // The "dense" family was generated with alpha = 0.34 (1 % noise): the fit must be near.
    let alpha = wait_js(
        &c,
        "parseFloat(document.querySelector('[data-testid=fit-table] tr[data-group=dense] [data-param=alpha]').dataset.value)",
    )
    .await;
    let alpha = alpha.as_f64().unwrap_or(f64::NAN);
    assert!((alpha - 0.34).abs() < 0.05, "alpha of dense = {alpha}");

    // The example is fitted with Huber (the saturating law's default objective): its
    // intervals come from the sandwich, and the table says so for each family.
    let methods = wait_js(
        &c,
        "Array.from(document.querySelectorAll('[data-testid=se-method]')).map(e => e.dataset.value + ':' + e.textContent)",
    )
    .await;
    let methods: Vec<&str> = methods
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(methods.len(), 2, "{methods:?}");
    assert!(
        methods
            .iter()
            .all(|m| m.starts_with("sandwich") && m.contains("intervals: sandwich")),
        "{methods:?}"
    );

    // The plot is drawn: many pixels differ from the background.
    let painted = wait_js(&c, &format!("{PAINTED_PIXELS} > 5000 && {PAINTED_PIXELS}")).await;
    assert!(
        painted.as_u64().unwrap_or(0) > 5000,
        "painted pixels: {painted}"
    );
    c.close().await.expect("close session");
}

#[tokio::test(flavor = "multi_thread")]
async fn opens_on_the_fitted_example_at_the_root() {
    opens_with_fitted_example("/").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn works_from_a_sub_path() {
    opens_with_fitted_example("/scalescope/").await;
}
