//! Offline use (issue 15): after one visit the page works with no network, also from a
//! sub-path; a new version waits for the user's reload and never mixes with the old.

use crate::explorer::{core_params, paste, wait_params, SWEEP};
use crate::harness::{dist_dir, js, shot, wait_for, wait_js, Driver, Site};
use fantoccini::Client;
use scalescope_core::Form;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Waits until the service worker controls the page; returns its scope.
async fn controlled(c: &Client) -> String {
    wait_js(c, "navigator.serviceWorker.controller !== null").await;
    let scope = c
        .execute_async(
            "const done = arguments[0]; navigator.serviceWorker.ready.then(r => done(r.scope));",
            vec![],
        )
        .await
        .expect("the registration");
    scope.as_str().unwrap_or_default().to_string()
}

/// The names of the page's caches (the service worker's, one per version).
async fn caches(c: &Client) -> Vec<String> {
    let v = c
        .execute_async(
            "const done = arguments[0]; caches.keys().then(done, e => done([String(e)]));",
            vec![],
        )
        .await
        .unwrap_or(Value::Null);
    serde_json::from_value(v).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn after_one_visit_the_page_works_with_no_network() {
    let site = Site::start(dist_dir(), "/scalescope/").await;
    let url = format!("http://{}/scalescope/", site.addr);
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&url).await.expect("page loads");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    // Registered relative to the page: its scope is the sub-path.
    assert_eq!(controlled(&c).await, url);

    site.stop();
    // The network is gone: what the worker does not keep cannot be fetched.
    let probe = c
        .execute_async(
            "const done = arguments[0]; fetch('./not-kept.txt').then(r => done('status ' + r.status), \
             () => done('no network'));",
            vec![],
        )
        .await
        .expect("probe");
    assert_eq!(probe.as_str(), Some("no network"));

    c.refresh().await.expect("reload with no network");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    paste(&c, SWEEP).await;
    wait_params(&c, &core_params(SWEEP, Form::Saturating).concat()).await;
    // Reading and fitting still run in the Web Worker (its glue and wasm come from the cache).
    assert_eq!(
        wait_js(&c, "window.__scalescopeEngine").await,
        "worker",
        "the engine's worker did not start offline"
    );
    c.close().await.expect("close");
}

/// A copy of `dist` as a newer deploy: its index.html carries a marker, and its sw.js is
/// written again by the build's own script (so its version changes with the files).
fn newer_version(dist: &Path) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scalescope-e2e-v2-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for entry in std::fs::read_dir(dist).expect("read dist").flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).expect("copy dist");
        }
    }
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).expect("index.html");
    let html = html.replacen(
        "<head>",
        "<head><meta name=\"scalescope-test-version\" content=\"2\">",
        1,
    );
    std::fs::write(&index, html).expect("write index.html");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/service-worker.mjs");
    let status = Command::new("node")
        .arg(&script)
        .arg(&dir)
        .status()
        .expect("node runs scripts/service-worker.mjs");
    assert!(status.success(), "service-worker.mjs failed");
    dir
}

const NEW_VERSION: &str = "document.querySelector('meta[name=scalescope-test-version]') !== null";

#[tokio::test(flavor = "multi_thread")]
async fn a_new_version_waits_for_the_reload_and_never_mixes_with_the_old() {
    let newer = newer_version(&dist_dir());
    let site = Site::start(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&format!("http://{}/", site.addr))
        .await
        .expect("page loads");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    controlled(&c).await;
    let old = caches(&c).await;
    assert_eq!(old.len(), 1, "{old:?}");

    // A deploy. The next visit still gets the old version, whole, from its cache; the
    // browser finds the new sw.js meanwhile, which installs and waits.
    site.deploy(newer.clone());
    c.refresh().await.expect("reload");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    let note = wait_js(
        &c,
        "(() => { const b = document.querySelector('[data-testid=update-reload]'); \
           return b && b.closest('[data-testid=update-note]').textContent; })()",
    )
    .await;
    assert_eq!(note.as_str(), Some("A new version is ready — reload"));
    shot(&c, None, "update-note").await;
    assert_eq!(js(&c, NEW_VERSION).await, Value::Bool(false));
    // Both versions' caches exist while the new one waits.
    assert_eq!(caches(&c).await.len(), 2);

    // A reload of the browser's own is not the switch: the old version again, offering it.
    c.refresh().await.expect("reload");
    wait_for(&c, "[data-testid=update-reload]").await;
    assert_eq!(js(&c, NEW_VERSION).await, Value::Bool(false));

    // The page's reload: the new version, whole, and only its cache is left.
    wait_for(&c, "[data-testid=update-reload]")
        .await
        .click()
        .await
        .expect("click reload");
    wait_js(&c, NEW_VERSION).await;
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    let deadline = Instant::now() + Duration::from_secs(20);
    let now = loop {
        let now = caches(&c).await;
        if now.len() == 1 || Instant::now() > deadline {
            break now;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(now.len(), 1, "{now:?}");
    assert_ne!(now, old);
    assert!(js(
        &c,
        "document.querySelector('[data-testid=update-reload]') === null"
    )
    .await
    .as_bool()
    .unwrap_or(false));
    c.close().await.expect("close");
    let _ = std::fs::remove_dir_all(&newer);
}
