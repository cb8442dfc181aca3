//! Page benchmark: navigation → first plot, paste → refit → redraw for 1 000 and
//! 100 000 points, and 1000 bootstrap resamples of Epoch AI's 240 Chinchilla points on the
//! worker pool, in headless Chromium against the built `dist/`.
//!
//! `cargo bench -p scalescope-web --bench page` (after `cargo xtask dist`). The page itself
//! stamps `window.__scalescopeDrawn = performance.now()` after each redraw, so the figures
//! do not include WebDriver's polling. Prints medians; asserts nothing (see BENCHMARKS.md).

#[path = "../tests/e2e/harness.rs"]
#[allow(dead_code)]
mod harness;

use harness::{dist_dir, serve, wait_for, Driver};
use serde_json::Value;
use std::fmt::Write as _;
use std::time::Duration;

const RUNS: usize = 7;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `n` points of a saturating law with a little deterministic jitter; `salt` changes them.
fn sweep(n: usize, salt: usize) -> String {
    let mut s = String::with_capacity(n * 24);
    s.push_str("params,loss\n");
    for i in 0..n {
        let x = 1e7 * 1000f64.powf(i as f64 / n as f64);
        let jitter = 1.0 + 0.01 * (((i * 7919 + salt * 104729) % 1000) as f64 / 500.0 - 1.0);
        let _ = writeln!(s, "{x:.0},{:.5}", (1.69 + 406.4 * x.powf(-0.34)) * jitter);
    }
    s
}

async fn drawn(c: &fantoccini::Client) -> f64 {
    c.execute("return window.__scalescopeDrawn || 0;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

async fn wait_drawn_after(c: &fantoccini::Client, t0: f64) -> f64 {
    for _ in 0..6000 {
        let t = drawn(c).await;
        if t > t0 {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("no redraw after {t0}");
}

/// "median W ms over N runs; longest main-thread task median L ms, max M ms".
fn summary(walls: &[f64], longest: &[f64]) -> String {
    format!(
        "median {:.0} ms over {} runs; longest main-thread task median {:.0} ms, max {:.0} ms",
        median(walls.to_vec()),
        walls.len(),
        median(longest.to_vec()),
        longest.iter().copied().fold(0.0, f64::max)
    )
}

/// JS that starts collecting main-thread tasks over 50 ms (the Long Tasks API) into
/// `window.__long`; [`longest_task`] reads them.
const WATCH_LONG_TASKS: &str = "window.__long = []; window.__longObs && window.__longObs.disconnect(); \
     window.__longObs = new PerformanceObserver(l => { for (const e of l.getEntries()) window.__long.push(e.duration); }); \
     window.__longObs.observe({ type: 'longtask' });";

/// The number `script` returns, if it returns one.
async fn number(c: &fantoccini::Client, script: &str, args: Vec<Value>) -> Option<f64> {
    c.execute(script, args).await.ok().and_then(|v| v.as_f64())
}

/// Polls `script` every 5 ms, at most `tries` times, until it returns a positive
/// `performance.now()`; that time, or NaN.
async fn time_when(c: &fantoccini::Client, script: &str, tries: usize) -> f64 {
    for _ in 0..tries {
        let t = number(c, script, vec![]).await.unwrap_or(0.0);
        if t > 0.0 {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    f64::NAN
}

/// The longest main-thread task since [`WATCH_LONG_TASKS`] ran (0: none over 50 ms).
async fn longest_task(c: &fantoccini::Client) -> f64 {
    number(c, "return Math.max(0, ...window.__long);", vec![])
        .await
        .unwrap_or(f64::NAN)
}

#[tokio::main]
async fn main() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    let url = format!("http://{addr}/");

    let mut first = vec![];
    for _ in 0..RUNS {
        c.goto(&url).await.expect("page loads");
        first.push(wait_drawn_after(&c, 0.0).await);
    }
    println!(
        "navigation → first plot: median {:.0} ms over {RUNS} loads (engine: {})",
        median(first),
        c.execute("return window.__scalescopeEngine;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default()
    );
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;

    for form in ["saturating", "power"] {
        c.execute(
            "const s = document.querySelector('[data-testid=form-select]'); s.value = arguments[0]; \
             s.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![Value::String(form.into())],
        )
        .await
        .expect("form");
        for n in [1_000usize, 100_000] {
            let mut times = vec![];
            let mut longest = vec![];
            for run in 0..RUNS.min(if n > 10_000 { 3 } else { RUNS }) {
                let text = sweep(n, run + 1);
                // Main-thread tasks over 50 ms from the paste on.
                c.execute(WATCH_LONG_TASKS, vec![]).await.expect("observer");
                // 1 000 rows: into the text area as typed or pasted text (value + input
                // event). 10⁵ rows: as a paste event, which the page takes without putting
                // the text in the area (a browser lays out every line of a text area).
                let script = if n > 10_000 {
                    "const t = document.querySelector('[data-testid=csv-input]'); const t0 = performance.now(); \
                     const dt = new DataTransfer(); dt.setData('text/plain', arguments[0]); \
                     t.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true })); return t0;"
                } else {
                    "const t = document.querySelector('[data-testid=csv-input]'); const t0 = performance.now(); \
                     t.value = arguments[0]; t.dispatchEvent(new Event('input', { bubbles: true })); return t0;"
                };
                let t0 = number(&c, script, vec![Value::String(text)])
                    .await
                    .unwrap_or(0.0);
                let t1 = wait_drawn_after(&c, t0).await;
                times.push(t1 - t0);
                // Let the autosave (0.4 s after the change) run too.
                tokio::time::sleep(Duration::from_millis(800)).await;
                longest.push(longest_task(&c).await);
            }
            // The longest task includes the paste itself.
            println!(
                "paste → refit → redraw, {form}, {n} points: {}",
                summary(&times, &longest)
            );
        }
    }
    bootstrap_epoch(&c).await;
    backtest_epoch(&c).await;
    c.close().await.ok();
}

/// The backtest switch turned on with Epoch AI's 240 points fitted (chinchilla, left by
/// [`bootstrap_epoch`]): the hold-out and the rolling backtest run on the main thread, so
/// the figure is the longest main-thread task until the rolling chart is drawn.
async fn backtest_epoch(c: &fantoccini::Client) {
    if c.execute(
        "return !!document.querySelector('[data-testid=fit-table] [data-param=beta]');",
        vec![],
    )
    .await
    .ok()
    .and_then(|v| v.as_bool())
        != Some(true)
    {
        println!("backtest: no chinchilla fit of Epoch's points; skipped");
        return;
    }
    let (mut walls, mut longest) = (vec![], vec![]);
    let start = format!(
        "{WATCH_LONG_TASKS} \
         const t = document.querySelector('[data-testid=backtest-toggle]'); const t0 = performance.now(); \
         t.click(); return t0;"
    );
    for _ in 0..RUNS {
        let t0 = number(c, &start, vec![]).await.unwrap_or(0.0);
        let t1 = time_when(
            c,
            "const e = document.querySelector('[data-testid=rolling-plot]'); \
             return e && e.dataset.points ? performance.now() : 0;",
            6000,
        )
        .await;
        walls.push(t1 - t0);
        tokio::time::sleep(Duration::from_millis(500)).await;
        longest.push(longest_task(c).await);
        // Off again for the next run.
        c.execute(
            "document.querySelector('[data-testid=backtest-toggle]').click();",
            vec![],
        )
        .await
        .ok();
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    println!(
        "backtest switch on, Epoch's 240 points, chinchilla (hold-out and rolling on the main \
         thread), switch → rolling chart (WebDriver polling included): {}",
        summary(&walls, &longest)
    );
}

/// 1000 resamples of Epoch's 240 points (chinchilla, its default `huber-log:1e-3`): the
/// wall time from the click to the last interval, and the longest main-thread task.
async fn bootstrap_epoch(c: &fantoccini::Client) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/chinchilla_epoch.csv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("bootstrap: {} is absent; skipped", path.display());
        return;
    };
    let t0 = number(
        c,
        "const t = document.querySelector('[data-testid=csv-input]'); t.value = arguments[0]; \
         t.dispatchEvent(new Event('input', { bubbles: true })); return performance.now();",
        vec![Value::String(text)],
    )
    .await
    .unwrap_or(0.0);
    let t1 = wait_drawn_after(c, t0).await;
    c.execute(
        "const s = document.querySelector('[data-testid=form-select]'); s.value = 'chinchilla'; \
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .await
    .expect("form");
    wait_drawn_after(c, t1).await;
    let law = c
        .execute(
            "return document.querySelector('[data-testid=formula]').textContent;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    assert!(law.contains("D^"), "not the chinchilla law: {law}");
    let mut walls = vec![];
    let mut longest = vec![];
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        let start = format!(
            "{WATCH_LONG_TASKS} \
             const b = document.querySelector('[data-testid=boot-resamples]'); b.value = '1000'; \
             b.dispatchEvent(new Event('input', {{ bubbles: true }})); \
             const t0 = performance.now(); document.querySelector('[data-testid=boot-run]').click(); return t0;"
        );
        let t0 = number(c, &start, vec![]).await.unwrap_or(0.0);
        let t1 = time_when(
            c,
            "const s = document.querySelector('[data-testid=boot-status]'); \
             return s && s.textContent.startsWith('1000 of 1000') ? performance.now() : 0;",
            12_000,
        )
        .await;
        walls.push(t1 - t0);
        longest.push(longest_task(c).await);
    }
    println!(
        "bootstrap, Epoch's 240 points, chinchilla, 1000 resamples on the worker pool, wall: {}",
        summary(&walls, &longest)
    );
}
