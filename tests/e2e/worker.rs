//! Long data: read and fitted in the page's Web Worker, kept out of the text area.

use crate::explorer::{core_params, paste, wait_params};
use crate::harness::{open_page, select, wait_js};
use scalescope_core::Form;
use std::fmt::Write as _;

/// `n` rows of a saturating law with ±1 % deterministic jitter (about 22 bytes a row); every
/// 100th loss is `n/a` (a row the reader skips and reports).
fn sweep(n: usize) -> String {
    let mut s = String::from("params,loss\n");
    for i in 0..n {
        let x = 1e7 * 1000f64.powf(i as f64 / n as f64);
        let jitter = 1.0 + 0.01 * (((i * 7919) % 1000) as f64 / 500.0 - 1.0);
        if i % 100 == 99 {
            let _ = writeln!(s, "{x:.0},n/a");
        } else {
            let _ = writeln!(s, "{x:.0},{:.5}", (1.69 + 406.4 * x.powf(-0.34)) * jitter);
        }
    }
    s
}

#[tokio::test(flavor = "multi_thread")]
async fn a_long_paste_is_fitted_in_the_worker_and_kept_out_of_the_text_area() {
    let (_driver, c) = open_page().await;
    assert_eq!(
        wait_js(&c, "window.__scalescopeEngine").await,
        "worker",
        "the page should read and fit in its Web Worker"
    );
    let text = sweep(20_000);
    assert!(text.len() > 64 * 1024);
    select(&c, "form-select", "saturating").await;
    paste(&c, &text).await;
    wait_params(&c, &core_params(&text, Form::Saturating).concat()).await;

    // 200 skipped rows: the first 50 are listed with their lines, the rest counted.
    let problems = wait_js(
        &c,
        "(() => { const p = Array.from(document.querySelectorAll('[data-testid=error] p')).map(e => e.textContent); \
         return p.length > 50 && p; })()",
    )
    .await;
    let problems: Vec<&str> = problems
        .as_array()
        .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    assert_eq!(problems.len(), 51, "{problems:?}");
    assert_eq!(
        problems[0],
        "line 101: 'n/a' in column loss is not a number"
    );
    assert_eq!(problems[50], "… and 150 more skipped rows");

    // The text area shows the start, read-only, and says how much is loaded.
    let area = wait_js(
        &c,
        "(() => { const t = document.querySelector('[data-testid=csv-input]'); \
         return t.value.startsWith('params,loss') && t.value.includes('20001 lines') && [t.value.length, t.readOnly]; })()",
    )
    .await;
    assert!(area[0].as_u64().is_some_and(|n| n < 4000), "{area}");
    assert_eq!(area[1], true);
    assert_eq!(
        wait_js(
            &c,
            "document.querySelector('[data-testid=preview-summary]').textContent"
        )
        .await,
        "20000 rows, comma delimiter, header row detected"
    );

    // Such data are shared fit-only (a full link would be hundreds of kilobytes).
    assert_eq!(
        wait_js(
            &c,
            "(() => { const n = document.querySelector('[data-testid=share-too-big]'); \
             const b = document.querySelector('[data-testid=share-fit-only]'); \
             return !n.hidden && [b.checked, b.disabled]; })()"
        )
        .await,
        serde_json::json!([true, true])
    );

    // Form changes refit the same long data; changes made while the worker is busy are
    // coalesced, and the last one is what the page shows.
    select(&c, "form-select", "log").await;
    select(&c, "form-select", "power").await;
    wait_params(&c, &core_params(&text, Form::Power).concat()).await;

    // Asked for, the whole text goes into the area, editable.
    c.execute(
        "document.querySelector('[data-testid=long-text] button').click();",
        vec![],
    )
    .await
    .expect("click");
    let whole = wait_js(
        &c,
        "(() => { const t = document.querySelector('[data-testid=csv-input]'); \
         return !t.readOnly && t.value.length; })()",
    )
    .await;
    assert_eq!(whole.as_u64(), Some(text.len() as u64));
}
