//! The explorer flow: paste → fit → refit on form change → broken paste keeps the fit →
//! click a point to exclude it → keyboard-only path.

use crate::harness::{js, open_page, select, wait_js};
use fantoccini::{key::Key, Client};
use scalescope_core::analysis::{analyze, AnalysisOptions};
use scalescope_core::table::{read_table, ReadOptions};
use scalescope_core::{Form, Objective};
use serde_json::Value;

/// A small sweep as a researcher would paste it from a spreadsheet: tab-separated, suffixes.
pub const SWEEP: &str = "params\tval_loss\n20M\t3.62\n60M\t3.21\n150M\t2.95\n\
400M\t2.71\n1B\t2.52\n3B\t2.37\n7B\t2.27\n";

/// The core's parameters for `text` under `form` (default objective), group by group.
pub fn core_params(text: &str, form: Form) -> Vec<Vec<f64>> {
    let options = ReadOptions::new().with_positivity(form.positivity(Objective::default_for(form)));
    let table = read_table(text, &options).unwrap_or_else(|e| panic!("{e}"));
    let a = analyze(
        &table,
        &AnalysisOptions {
            form,
            ..AnalysisOptions::default()
        },
    );
    a.groups
        .iter()
        .map(|g| g.fit.as_ref().map(|f| f.params.clone()).unwrap_or_default())
        .collect()
}

/// The page's parameter values (`data-value` of every `data-param` cell), in order.
pub async fn page_params(c: &Client) -> Vec<f64> {
    let v = js(
        c,
        "Array.from(document.querySelectorAll('[data-testid=fit-table] [data-param]')).map(e => e.dataset.value)",
    )
    .await;
    v.as_array()
        .map(|a| a.iter().filter_map(|s| s.as_str()?.parse().ok()).collect())
        .unwrap_or_default()
}

/// Waits until the page's parameters equal `want` to 1e-7 relative: wasm's libm differs from
/// the native one in the last bits, and a flat optimum (4 points, 3 parameters) turns that
/// into ~1e-9 relative differences in where the optimiser stops — far below the standard
/// errors (~1e-2 relative) and far above what a wrong fit would agree to.
pub async fn wait_params(c: &Client, want: &[f64]) {
    for _ in 0..200 {
        let got = page_params(c).await;
        if got.len() == want.len()
            && got
                .iter()
                .zip(want)
                .all(|(g, w)| (g - w).abs() <= 1e-7 * w.abs().max(1e-12))
        {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!(
        "page parameters {:?} never matched the core's {want:?}",
        page_params(c).await
    );
}

/// Presses Tab at most `max` times until the element with `data-testid=testid` has the
/// focus; whether it got there. Each Tab is sent to `to` when given (e.g. the body, so
/// that the browser's own focus order moves), else to the focused element.
async fn tab_to(
    c: &Client,
    to: Option<&fantoccini::elements::Element>,
    testid: &str,
    max: usize,
) -> bool {
    for _ in 0..max {
        let el = match to {
            Some(el) => el.clone(),
            None => c.active_element().await.expect("focus"),
        };
        el.send_keys(&Key::Tab.to_string()).await.ok();
        let id = js(
            c,
            "document.activeElement && document.activeElement.dataset.testid",
        )
        .await;
        if id.as_str() == Some(testid) {
            return true;
        }
    }
    false
}

/// Replaces the textarea's text as a paste does (value + input event).
pub async fn paste(c: &Client, text: &str) {
    c.execute(
        "const t = document.querySelector('[data-testid=csv-input]'); t.value = arguments[0]; \
         t.dispatchEvent(new Event('input', { bubbles: true }));",
        vec![Value::String(text.to_string())],
    )
    .await
    .expect("paste");
}

#[tokio::test(flavor = "multi_thread")]
async fn paste_refit_break_and_exclude() {
    let (_driver, c) = open_page().await;

    // Paste → the fit equals the core's for the same data (the form stays saturating).
    paste(&c, SWEEP).await;
    let want: Vec<f64> = core_params(SWEEP, Form::Saturating).concat();
    assert_eq!(want.len(), 3);
    wait_params(&c, &want).await;

    // Change the form → refit.
    select(&c, "form-select", "power").await;
    wait_params(&c, &core_params(SWEEP, Form::Power).concat()).await;

    // A broken paste → a positioned message; the previous fit stays.
    paste(&c, "params,loss\n1e6,n/a\n").await;
    let msg = wait_js(
        &c,
        "document.querySelector('[data-testid=error]').textContent",
    )
    .await;
    let msg = msg.as_str().unwrap_or_default().to_string();
    assert!(msg.contains("line"), "message without a position: {msg}");
    wait_params(&c, &core_params(SWEEP, Form::Power).concat()).await;

    // Back to the sweep; click the 7B point → refit without it.
    paste(&c, SWEEP).await;
    wait_params(&c, &core_params(SWEEP, Form::Power).concat()).await;
    let points = wait_js(
        &c,
        "document.querySelector('[data-testid=plot]').dataset.points",
    )
    .await;
    let last = points
        .as_str()
        .unwrap_or_default()
        .split(';')
        .find(|p| p.starts_with("8 "))
        .map(|p| {
            p.split(' ')
                .filter_map(|v| v.parse::<f64>().ok())
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    assert_eq!(last.len(), 3, "point of line 8 in {points:?}");
    c.execute(
        "const c = document.querySelector('[data-testid=plot]'); const r = c.getBoundingClientRect(); \
         c.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: r.left + arguments[0], clientY: r.top + arguments[1] }));",
        vec![Value::from(last[1]), Value::from(last[2])],
    )
    .await
    .expect("click");
    let without_last: String = SWEEP.lines().take(7).map(|l| format!("{l}\n")).collect();
    wait_params(&c, &core_params(&without_last, Form::Power).concat()).await;
    c.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn keyboard_only_paste_and_form() {
    let (_driver, c) = open_page().await;
    // Tab from the top of the page to the textarea, and type.
    let body = c
        .find(fantoccini::Locator::Css("body"))
        .await
        .expect("body");
    let reached = tab_to(&c, Some(&body), "csv-input", 30).await;
    assert!(reached, "the textarea is not reachable with Tab");
    let area = c.active_element().await.expect("focused textarea");
    // Select all, then type a small table.
    area.send_keys(&format!("{}a", Key::Control))
        .await
        .expect("select all");
    area.send_keys("params,loss\n1e7,3.3\n1e8,2.8\n1e9,2.45\n1e10,2.2\n")
        .await
        .expect("type");
    let typed = "params,loss\n1e7,3.3\n1e8,2.8\n1e9,2.45\n1e10,2.2\n";
    wait_params(&c, &core_params(typed, Form::Saturating).concat()).await;
    // Tab on to the form selector and choose "log" with the keyboard.
    let on_form = tab_to(&c, None, "form-select", 40).await;
    assert!(on_form, "the form selector is not reachable with Tab");
    let form = c.active_element().await.expect("form select");
    form.send_keys("log").await.expect("choose log");
    c.execute(
        "document.activeElement.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await
    .ok();
    wait_params(&c, &core_params(typed, Form::Log).concat()).await;
    c.close().await.expect("close");
}

/// A params, tokens, loss table (3 × 3 runs on a Chinchilla-like surface, with scatter).
fn sweep_nd() -> String {
    let mut text = String::from("params,tokens,loss\n");
    let mut k = 0.0;
    for n in [1e8, 4e8, 1.6e9] {
        for d in [2e9, 8e9, 3.2e10] {
            k += 1.0;
            let loss: f64 = 1.8 + 400.0 / f64::powf(n, 0.34) + 410.0 / f64::powf(d, 0.28);
            text.push_str(&format!(
                "{n:e},{d:e},{:.4}\n",
                loss + 0.003 * (k * 2.1f64).sin()
            ));
        }
    }
    text
}

/// Issue 11: tried as a new user would, pasting params, tokens and loss after the first
/// example kept the one-input saturating law and ignored the tokens. The law follows the
/// table (as the CLI chooses) until the user picks one; the menu marks the laws the columns
/// cannot feed.
#[tokio::test(flavor = "multi_thread")]
async fn the_law_follows_the_table_until_one_is_picked() {
    let (_driver, c) = open_page().await;
    let option = |name: &str| {
        format!("document.querySelector('[data-testid=form-select] option[value={name}]')")
    };
    // One input: the laws of N and D are marked and cannot be chosen.
    for law in ["chinchilla", "kaplan-nd"] {
        let o = option(law);
        wait_js(
            &c,
            &format!("{o}.disabled && {o}.textContent.includes('needs N and D')"),
        )
        .await;
    }
    let text = sweep_nd();
    paste(&c, &text).await;
    wait_js(
        &c,
        "document.querySelector('[data-testid=form-select]').value === 'chinchilla'",
    )
    .await;
    wait_params(&c, &core_params(&text, Form::Chinchilla).concat()).await;
    let o = option("chinchilla");
    wait_js(&c, &format!("!{o}.disabled")).await;
    let s = option("saturating");
    wait_js(&c, &format!("{s}.textContent.includes('uses N only')")).await;

    // A law picked by the user stays through new data of the same shape.
    select(&c, "form-select", "kaplan-nd").await;
    wait_params(&c, &core_params(&text, Form::KaplanNd).concat()).await;
    let again = text.replace("params,tokens,loss", "params,tokens,loss\n");
    paste(&c, &again).await;
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        js(
            &c,
            "document.querySelector('[data-testid=form-select]').value"
        )
        .await,
        Value::String("kaplan-nd".into())
    );
}
