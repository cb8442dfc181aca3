//! Share links, autosave and export in the built page: a link opens the same fit in a
//! fresh browser; a reload restores the autosaved work; a garbled link is reported and
//! changes nothing; opening a link offers the previous work back; the plot and fit
//! downloads are real files.

use crate::harness::{dist_dir, js, select, serve, shot, type_into, wait_for, wait_js, Driver};
use fantoccini::Client;
use serde_json::Value;
use std::time::Duration;

/// Every fitted parameter (`group/param = data-value`) and every calculator value, in
/// page order: equal snapshots mean the same fit and the same answers to the last digit.
const SNAPSHOT: &str = "(() => { \
    const p = Array.from(document.querySelectorAll('[data-testid=fit-table] tr[data-group] [data-param]')) \
      .map(e => e.closest('tr').dataset.group + '/' + e.dataset.param + '=' + e.dataset.value); \
    const calc = Array.from(document.querySelectorAll('.calculator [data-value]')) \
      .map(e => e.dataset.testid + '=' + e.dataset.value); \
    const form = document.querySelector('[data-testid=form-select]').value; \
    return p.length ? JSON.stringify({ form, p, calc }) : null; })()";

async fn open(c: &Client, url: &str) {
    c.goto(url).await.expect("page loads");
    wait_for(c, "[data-testid=fit-table] [data-param]").await;
}

async fn snapshot(c: &Client) -> Value {
    let s = wait_js(c, SNAPSHOT).await;
    serde_json::from_str(s.as_str().unwrap_or("null")).unwrap_or(Value::Null)
}

/// Waits until the snapshot stops changing (the page refits after each change).
async fn settled(c: &Client) -> Value {
    let mut last = snapshot(c).await;
    loop {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let now = snapshot(c).await;
        if now == last {
            return now;
        }
        last = now;
    }
}

/// Changes the work away from the default: another objective, a target loss, a row left
/// out. Returns once the page has refitted and autosaved.
async fn make_changes(c: &Client) -> Value {
    select(c, "objective-select", "ls-log").await;
    type_into(c, "target-loss", "2.05").await;
    c.execute(
        "document.querySelectorAll('[data-testid=preview] tbody input[type=checkbox]')[2].click();",
        vec![],
    )
    .await
    .expect("exclude a row");
    let s = settled(c).await;
    wait_js(
        c,
        "document.querySelectorAll('[data-testid=preview] tr.excluded').length === 1",
    )
    .await;
    // The autosave runs once changes pause (400 ms).
    tokio::time::sleep(Duration::from_millis(900)).await;
    s
}

async fn share_link(c: &Client) -> String {
    wait_for(c, "[data-testid=share-button]")
        .await
        .click()
        .await
        .expect("click share");
    let link = wait_js(
        c,
        "(document.querySelector('[data-testid=share-link]') || {}).value",
    )
    .await;
    link.as_str().unwrap_or_default().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_share_link_opens_the_same_fit_in_a_fresh_browser() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    open(&c, &format!("http://{addr}/")).await;
    let before = make_changes(&c).await;
    assert!(
        before["calc"].as_array().is_some_and(|a| !a.is_empty()),
        "{before}"
    );
    let link = share_link(&c).await;
    assert!(link.starts_with(&format!("http://{addr}/#")), "{link}");
    let status = wait_js(
        &c,
        "document.querySelector('[data-testid=share-status]').textContent",
    )
    .await;
    assert!(
        status
            .as_str()
            .is_some_and(|s| s.starts_with(&format!("{} characters", link.len()))),
        "{status}"
    );
    shot(&c, Some("[data-testid=share-link]"), "share-link").await;
    c.close().await.expect("close");

    // A new session has its own profile: nothing autosaved, only the link.
    let fresh = driver.client().await;
    open(&fresh, &link).await;
    let after = settled(&fresh).await;
    assert_eq!(after, before, "link of {} characters", link.len());
    let excluded = wait_js(
        &fresh,
        "document.querySelectorAll('[data-testid=preview] tr.excluded').length",
    )
    .await;
    assert_eq!(excluded, 1);
    // The fragment is dropped once opened, so a reload shows the autosaved work.
    let url = wait_js(&fresh, "location.href").await;
    assert_eq!(url.as_str(), Some(format!("http://{addr}/").as_str()));

    // The fit-only link is short and shows the same parameters without the data.
    fresh
        .execute(
            "document.querySelector('[data-testid=share-fit-only]').click();",
            vec![],
        )
        .await
        .expect("fit only");
    let short = share_link(&fresh).await;
    assert!(short.len() < 400, "{} characters: {short}", short.len());
    fresh.close().await.expect("close");
    let third = driver.client().await;
    open(&third, &short).await;
    let shared = settled(&third).await;
    assert_eq!(shared["p"], before["p"], "fit-only link {short}");
    assert_eq!(shared["calc"], before["calc"], "fit-only link {short}");
    wait_js(
        &third,
        "!document.querySelector('[data-testid=fit-only-note]').hidden",
    )
    .await;
    shot(&third, Some("[data-testid=plot]"), "fit-only").await;
    third.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reload_restores_the_autosaved_work() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    open(&c, &format!("http://{addr}/")).await;
    let before = make_changes(&c).await;
    c.refresh().await.expect("reload");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    assert_eq!(settled(&c).await, before);
    let error = wait_js(&c, "document.querySelector('[data-testid=error]').textContent === '' || document.querySelector('[data-testid=error]').textContent").await;
    assert_eq!(error, Value::Bool(true), "no message expected");

    // Corrupt storage is reported and ignored: the page opens on its example. First let the
    // autosave that the restore itself scheduled (debounced 400 ms) land, or it would
    // overwrite the corruption before the reload.
    tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
    c.execute(
        "localStorage.setItem('scalescope.autosave', 'AXjaGARBAGE');",
        vec![],
    )
    .await
    .expect("corrupt the storage");
    c.refresh().await.expect("reload");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    let error = wait_js(
        &c,
        "document.querySelector('[data-testid=error]').textContent",
    )
    .await;
    assert!(
        error
            .as_str()
            .is_some_and(|e| e.contains("autosaved work could not be restored")),
        "{error}"
    );
    c.close().await.expect("close");
}

/// The error area's text.
async fn problems(c: &Client) -> String {
    js(
        c,
        "document.querySelector('[data-testid=error]').textContent",
    )
    .await
    .as_str()
    .unwrap_or_default()
    .to_string()
}

/// From now on (until the page reloads) the browser refuses the autosave: storage is full.
const STORAGE_FULL: &str = "const set = Storage.prototype.setItem; \
    Storage.prototype.setItem = function (k, v) { \
      if (k === 'scalescope.autosave') throw new DOMException('quota', 'QuotaExceededError'); \
      return set.call(this, k, v); };";

/// Issue 15: a refused save is said at once, and the older autosave a reload brings back
/// is said to be older (it used to come back without a word).
#[tokio::test(flavor = "multi_thread")]
async fn a_refused_autosave_is_not_restored_silently() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    open(&c, &format!("http://{addr}/")).await;
    let saved = make_changes(&c).await;
    c.execute(STORAGE_FULL, vec![])
        .await
        .expect("fill the storage");
    select(&c, "form-select", "power").await;
    let lost = settled(&c).await;
    assert_ne!(lost, saved);
    wait_js(
        &c,
        "document.querySelector('[data-testid=error]').textContent.includes('Autosave failed')",
    )
    .await;

    c.refresh().await.expect("reload");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    assert_eq!(settled(&c).await, saved, "the older autosave comes back…");
    let said = problems(&c).await;
    assert!(
        said.contains("could not be autosaved"),
        "…and says so: {said}"
    );

    // Saving works again: the next save clears the mark, and the reload after is silent.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    c.refresh().await.expect("reload");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    assert_eq!(settled(&c).await, saved);
    assert_eq!(problems(&c).await, "");
    c.close().await.expect("close");
}

/// Issue 15: work autosaved by a newer version is kept aside, not overwritten 400 ms after
/// the (older) page opens, and the page says so.
#[tokio::test(flavor = "multi_thread")]
async fn a_newer_versions_autosave_is_kept_aside() {
    use base64ct::{Base64UrlUnpadded, Encoding as _};
    use scalescope_core::share::{to_bytes, FullState, Link, VERSION};
    let mut bytes = to_bytes(&Link::Full(FullState::new(
        "N,loss\n1e6,4\n1e7,3.2\n1e8,2.9\n",
        scalescope_core::Form::Power,
    )));
    bytes[0] = VERSION + 1;
    let newer = Base64UrlUnpadded::encode_string(&bytes);

    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    open(&c, &format!("http://{addr}/")).await;
    // Let the page's first autosave land, then put the newer version's work there.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    c.execute(
        "localStorage.setItem('scalescope.autosave', arguments[0]);",
        vec![newer.clone().into()],
    )
    .await
    .expect("a newer version's autosave");
    c.refresh().await.expect("reload");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    let said = problems(&c).await;
    assert!(
        said.contains(&format!(
            "newer version of Scalescope (format {};",
            VERSION + 1
        )) && said.contains("kept aside"),
        "{said}"
    );
    // Well after the page's own autosave: the newer work is still there, aside.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let kept = js(&c, "localStorage.getItem('scalescope.autosave-newer')").await;
    assert_eq!(kept.as_str(), Some(newer.as_str()));
    let own = js(&c, "localStorage.getItem('scalescope.autosave')").await;
    assert!(
        own.as_str().is_some_and(|o| o != newer),
        "the page saves its own work beside it: {own}"
    );
    c.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_garbled_link_is_reported_and_changes_nothing() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    open(&c, &format!("http://{addr}/")).await;
    let before = make_changes(&c).await;
    let link = share_link(&c).await;
    // Two characters changed in the middle: the checksum catches it.
    let mut chars: Vec<char> = link.chars().collect();
    let mid = chars.len() - 20;
    for k in [mid, mid + 1] {
        chars[k] = if chars[k] == 'A' { 'B' } else { 'A' };
    }
    let garbled: String = chars.into_iter().collect();

    // Opened in the running page (a fragment change)…
    c.goto(&garbled).await.expect("navigate");
    let error = wait_js(
        &c,
        "(() => { const t = document.querySelector('[data-testid=error]').textContent; return t.includes('could not be opened') && t; })()",
    )
    .await;
    assert!(
        error.as_str().is_some_and(|e| e.contains("damaged")),
        "{error}"
    );
    assert_eq!(settled(&c).await, before);

    // …and on a fresh load of the page (a cut-off link).
    let cut = &link[..link.len() - 7];
    c.goto("about:blank").await.expect("leave");
    c.goto(cut).await.expect("navigate");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    let error = wait_js(
        &c,
        "(() => { const t = document.querySelector('[data-testid=error]').textContent; return t.includes('could not be opened') && t; })()",
    )
    .await;
    assert!(
        error.as_str().is_some_and(|e| e.contains("incomplete")),
        "{error}"
    );
    assert_eq!(settled(&c).await, before);
    c.close().await.expect("close");
}

#[tokio::test(flavor = "multi_thread")]
async fn opening_a_link_offers_the_previous_work_back() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    open(&c, &format!("http://{addr}/")).await;
    let shared = make_changes(&c).await;
    let link = share_link(&c).await;
    select(&c, "form-select", "power").await;
    let mine = settled(&c).await;
    tokio::time::sleep(Duration::from_millis(900)).await;
    assert_ne!(mine, shared);
    let autosaved = js(&c, "localStorage.getItem('scalescope.autosave')").await;

    c.goto(&link).await.expect("open the link");
    wait_js(
        &c,
        "document.querySelector('[data-testid=form-select]').value === 'saturating'",
    )
    .await;
    assert_eq!(settled(&c).await, shared);
    // The replaced work is kept for a reload as the engine's worker compressed it: the same
    // fragment as its autosave (issue 15: it was deflated on the main thread).
    let kept = wait_js(&c, "localStorage.getItem('scalescope.before-link')").await;
    assert_eq!(kept, autosaved);
    wait_js(
        &c,
        "!document.querySelector('[data-testid=restore-autosave]').closest('[hidden]')",
    )
    .await;
    wait_for(&c, "[data-testid=restore-autosave]")
        .await
        .click()
        .await
        .expect("restore");
    wait_js(
        &c,
        "document.querySelector('[data-testid=form-select]').value === 'power'",
    )
    .await;
    assert_eq!(settled(&c).await, mine);
    c.close().await.expect("close");
}

/// Captures downloads: the page clicks an `<a download>`; the test keeps its name and URL.
const CAPTURE: &str = "window.__downloads = []; \
    HTMLAnchorElement.prototype.click = function () { \
      window.__downloads.push({ name: this.download, href: this.href }); };";

/// The text behind a captured download's URL (data: or blob:).
async fn fetched(c: &Client, index: usize) -> String {
    wait_js(c, &format!("window.__downloads.length > {index}")).await;
    let v = c
        .execute_async(
            "const [i, done] = arguments; \
             fetch(window.__downloads[i].href).then(r => r.blob()) \
               .then(b => b.arrayBuffer().then(a => done({ size: b.size, type: b.type, \
                 head: new TextDecoder().decode(new Uint8Array(a).slice(0, 4000)) }))) \
               .catch(e => done({ error: String(e) }));",
            vec![index.into()],
        )
        .await
        .expect("fetch the download");
    v.to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn exports_are_non_empty_files() {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    open(&c, &format!("http://{addr}/")).await;
    c.execute(CAPTURE, vec![]).await.expect("capture downloads");
    for (k, testid) in [
        "export-png",
        "export-png-2x",
        "export-svg",
        "export-csv",
        "export-json",
    ]
    .into_iter()
    .enumerate()
    {
        wait_for(&c, &format!("[data-testid={testid}]"))
            .await
            .click()
            .await
            .expect("click export");
        let file: Value = serde_json::from_str(&fetched(&c, k).await).unwrap_or(Value::Null);
        let size = file["size"].as_u64().unwrap_or(0);
        let head = file["head"].as_str().unwrap_or_default();
        match testid {
            "export-png" | "export-png-2x" => {
                assert!(head.contains("PNG"), "{testid}: {file}");
                assert!(size > 20_000, "{testid}: {size} bytes");
            }
            "export-svg" => {
                assert!(head.contains("<svg"), "{file}");
                assert!(size > 5_000, "svg: {size} bytes");
            }
            "export-csv" => {
                assert!(head.starts_with("group,kind,x,d,y,fitted"), "{file}");
                assert!(head.contains("dense,data,"), "{file}");
            }
            _ => assert!(
                head.contains("\"fits\"") && head.contains("\"alpha\""),
                "{file}"
            ),
        }
    }
    let names = wait_js(&c, "window.__downloads.map(d => d.name).join(' ')").await;
    assert_eq!(
        names.as_str(),
        Some("scalescope-plot@1x.png scalescope-plot@2x.png scalescope-plot.svg scalescope-fit.csv scalescope-fit.json")
    );
    // The 2× PNG has four times the pixels of the 1× one.
    let widths = c
        .execute_async(
            "const done = arguments[0]; \
             Promise.all(window.__downloads.slice(0, 2).map(d => new Promise(ok => { \
               const i = new Image(); i.onload = () => ok(i.width); i.src = d.href; }))) \
               .then(w => done(w.join('x')));",
            vec![],
        )
        .await
        .expect("image widths");
    assert_eq!(widths.as_str(), Some("960x1920"));
    for testid in ["copy-latex", "copy-python"] {
        wait_for(&c, &format!("[data-testid={testid}]"))
            .await
            .click()
            .await
            .expect("click copy");
        let want = if testid == "copy-latex" {
            "\\frac{"
        } else {
            "import numpy as np"
        };
        let text = wait_js(
            &c,
            &format!(
                "(() => {{ const v = (document.querySelector('[data-testid=export-snippet]') || {{}}).value; \
                 return v && v.includes({want:?}) && v; }})()"
            ),
        )
        .await;
        assert!(
            text.as_str().is_some_and(|t| t.contains("dense")),
            "{testid}: {text}"
        );
    }
    c.close().await.expect("close");
}
