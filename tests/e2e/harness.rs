//! The end-to-end harness: serves the built `dist/` on 127.0.0.1 and drives headless
//! Chromium through chromedriver (both killed on drop).

use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::{SocketAddr, TcpListener as StdListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// The built page, from `SCALESCOPE_DIST` (set by `cargo xtask test`) or `<root>/dist`.
pub fn dist_dir() -> PathBuf {
    let dir = std::env::var_os("SCALESCOPE_DIST")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("dist"));
    assert!(
        dir.join("index.html").is_file(),
        "{} has no index.html: build the page first (`cargo xtask test` does)",
        dir.display()
    );
    dir
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    }
}

/// A static server of a built page: its directory can be switched (a new deploy) and it
/// can be stopped (no network: connections are refused or closed unanswered).
pub struct Site {
    /// Where it listens (127.0.0.1: a secure context, so service workers run).
    pub addr: SocketAddr,
    dir: Arc<Mutex<PathBuf>>,
    online: Arc<AtomicBool>,
    accept: tokio::task::JoinHandle<()>,
}

impl Site {
    /// Serves `dir` under `prefix` (e.g. "/" or "/scalescope/") on a free port.
    pub async fn start(dir: PathBuf, prefix: &'static str) -> Site {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local addr");
        let dir = Arc::new(Mutex::new(dir));
        let online = Arc::new(AtomicBool::new(true));
        let (d, on) = (Arc::clone(&dir), Arc::clone(&online));
        let accept = tokio::spawn(async move {
            loop {
                let Ok((sock, _)) = listener.accept().await else {
                    continue;
                };
                let dir = d.lock().map(|d| d.clone()).unwrap_or_default();
                tokio::spawn(respond(sock, dir, prefix, Arc::clone(&on)));
            }
        });
        Site {
            addr,
            dir,
            online,
            accept,
        }
    }

    /// Serves `dir` from now on (a new version of the page).
    pub fn deploy(&self, dir: PathBuf) {
        if let Ok(mut d) = self.dir.lock() {
            *d = dir;
        }
    }

    /// Stops serving: new connections are refused, open ones get no answer.
    pub fn stop(&self) {
        self.online.store(false, Ordering::SeqCst);
        self.accept.abort();
    }
}

/// Answers one request on `sock` with a file of `dir` (while `online`).
async fn respond(
    mut sock: tokio::net::TcpStream,
    dir: PathBuf,
    prefix: &str,
    online: Arc<AtomicBool>,
) {
    let mut buf = vec![0u8; 8192];
    let n = sock.read(&mut buf).await.unwrap_or(0);
    if !online.load(Ordering::SeqCst) {
        return;
    }
    let req = String::from_utf8_lossy(&buf[..n]);
    let path = req.split_whitespace().nth(1).unwrap_or("/").to_string();
    let path = path.split(['?', '#']).next().unwrap_or("/").to_string();
    let file = path
        .strip_prefix(prefix)
        .filter(|rel| !rel.contains(".."))
        .map(|rel| if rel.is_empty() { "index.html" } else { rel })
        .map(|rel| dir.join(rel));
    let (status, body, ctype) = match file.and_then(|f| std::fs::read(&f).ok().map(|b| (b, f))) {
        Some((body, f)) => ("200 OK", body, content_type(&f)),
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = sock.write_all(head.as_bytes()).await;
    let _ = sock.write_all(&body).await;
    let _ = sock.shutdown().await;
}

/// Serves `dir` under `prefix` (e.g. "/" or "/scalescope/") on a free port, for the whole
/// test; returns its address.
pub async fn serve(dir: PathBuf, prefix: &'static str) -> SocketAddr {
    Site::start(dir, prefix).await.addr
}

/// A running chromedriver, killed on drop.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Driver {
    /// Starts chromedriver on a free port and waits until it listens.
    pub fn start() -> Driver {
        let port = StdListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let child = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver on PATH (`cargo xtask test` installs it)");
        let driver = Driver { child, port };
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    /// A new headless Chromium session.
    pub async fn client(&self) -> Client {
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--disable-background-networking",
                         "--disable-component-update", "--no-first-run", "--disable-sync"]
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a WebDriver session")
    }
}

/// Waits until `css` matches an element (the app renders asynchronously after wasm loads).
pub async fn wait_for(c: &Client, css: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element matches `{css}`: {e}"))
}

/// The value of a JS expression in the page; `null` when the script fails.
pub async fn js(c: &Client, expr: &str) -> serde_json::Value {
    c.execute(&format!("return ({expr});"), vec![])
        .await
        .unwrap_or(serde_json::Value::Null)
}

/// Polls a JS expression until it returns a truthy value; returns that value.
pub async fn wait_js(c: &Client, expr: &str) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = js(c, expr).await;
        let truthy = !matches!(&v, serde_json::Value::Null | serde_json::Value::Bool(false))
            && v != serde_json::json!(0)
            && v != serde_json::json!("");
        if truthy {
            return v;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for `{expr}` (last: {v})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Number of canvas pixels that differ from the top-left (background) pixel.
pub const PAINTED_PIXELS: &str = "(() => { const c = document.querySelector('[data-testid=plot]'); \
    if (!c || !c.width) return 0; const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; \
    let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] !== d[0] || d[i+1] !== d[1] || d[i+2] !== d[2]) n++; } \
    return n; })()";

/// Serves `dist/` at the root, starts a browser and opens the page on its fitted example.
pub async fn open_page() -> (Driver, Client) {
    let addr = serve(dist_dir(), "/").await;
    let driver = Driver::start();
    let c = driver.client().await;
    c.goto(&format!("http://{addr}/"))
        .await
        .expect("page loads");
    wait_for(&c, "[data-testid=fit-table] [data-param]").await;
    (driver, c)
}

/// Chooses `value` in the `<select>` with `data-testid=testid` (as a user's choice does:
/// value + change event).
pub async fn select(c: &Client, testid: &str, value: &str) {
    c.execute(
        "const s = document.querySelector(`[data-testid=${arguments[0]}]`); s.value = arguments[1]; \
         s.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![testid.into(), value.into()],
    )
    .await
    .expect("select an option");
}

/// Replaces the text of input `testid` by typing over it, as a user would (select all,
/// type: the field is never empty in between, which would clear the value).
pub async fn type_into(c: &Client, testid: &str, text: &str) {
    let el = wait_for(c, &format!("[data-testid={testid}]")).await;
    el.click().await.expect("focus the field");
    el.send_keys(&(Key::Control + "a"))
        .await
        .expect("select all");
    el.send_keys(text).await.expect("type");
}

/// With `SCALESCOPE_SHOTS=<dir>` (`cargo xtask screenshots`), saves a screenshot of the
/// page, scrolled to the element `css` when one is given, as `<dir>/<name>.png`.
pub async fn shot(c: &Client, css: Option<&str>, name: &str) {
    let Some(dir) = std::env::var_os("SCALESCOPE_SHOTS").map(PathBuf::from) else {
        return;
    };
    if let Some(css) = css {
        let _ = c
            .execute(
                "document.querySelector(arguments[0])?.scrollIntoView({ block: 'center' });",
                vec![css.into()],
            )
            .await;
    }
    let png = c.screenshot().await.expect("screenshot");
    std::fs::create_dir_all(&dir).expect("screenshot dir");
    std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
}

/// The serious and critical accessibility violations axe-core (npm `axe-core`, installed by
/// `npm ci`) finds on the page as it is now, one line each: rule, impact, help, and the
/// elements with what to fix. axe-core is injected once per page load.
pub async fn axe_violations(c: &Client) -> Vec<String> {
    if js(c, "typeof window.axe").await.as_str() != Some("object") {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (`npm ci` installs it)", path.display()));
        c.execute(&format!("{source}\nreturn typeof window.axe;"), vec![])
            .await
            .expect("inject axe-core");
    }
    let found = c
        .execute_async(
            "const done = arguments[arguments.length - 1]; \
             axe.run(document, { resultTypes: ['violations'] }).then(r => done(r.violations \
               .filter(v => v.impact === 'serious' || v.impact === 'critical') \
               .map(v => `${v.id} (${v.impact}): ${v.help} — ` + v.nodes.map(n => n.target.join(' ') \
                 + ' [' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ']').join('; '))), \
               e => done([`axe-core failed: ${e}`]));",
            vec![],
        )
        .await
        .expect("run axe-core");
    found
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_else(|| vec![format!("axe-core answered {found}")])
}
