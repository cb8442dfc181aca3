"""Where a 1 000-row paste's time goes on the page (BENCHMARKS.md, "The page", session 9).

Serves DIST, opens it in headless Chromium (Selenium, the Debian chromedriver), switches
the law, then pastes 1 000 rows of a power law 9 times. For each paste it records when the
job is posted to the worker, the first free turn of the main thread after it (a setTimeout
0 queued at the post), the worker's answer, and the page's redraw stamp
(`window.__scalescopeDrawn`). Prints the medians.

    pip install selenium
    python3 scripts/bench/paste_breakdown.py dist [power|saturating] [JS run before the pastes]

e.g. the third argument `document.querySelector('[data-testid=csv-input]').style.display='none'`
measures the paste without the browser's layout of the text area.
"""

import functools
import http.server
import statistics
import sys
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

HOOK = """
window.__ev = [];
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (m, t) {
  if (!this.__hooked) {
    this.__hooked = true;
    this.addEventListener('message', () => window.__ev.push(['answer', performance.now()]));
  }
  window.__ev.push(['post', performance.now()]);
  setTimeout(() => window.__ev.push(['free', performance.now()]), 0);
  return post.call(this, m, t);
};
"""

PASTE = """
const t = document.querySelector('[data-testid=csv-input]'); const t0 = performance.now();
t.value = arguments[0]; t.dispatchEvent(new Event('input', { bubbles: true })); return t0;
"""


def sweep(n, salt):
    """`n` rows of a saturating law with ±1 % deterministic jitter (as benches/page.rs)."""
    s = "params,loss\n"
    for i in range(n):
        x = 1e7 * 1000 ** (i / n)
        j = 1.0 + 0.01 * (((i * 7919 + salt * 104729) % 1000) / 500.0 - 1.0)
        s += f"{x:.0f},{(1.69 + 406.4 * x ** -0.34) * j:.5f}\n"
    return s


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main():
    dist, form = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "power")
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=dist)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    options = webdriver.ChromeOptions()
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu"]:
        options.add_argument(a)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        d.get(f"http://127.0.0.1:{server.server_address[1]}/")
        for _ in range(200):
            if d.execute_script("return !!document.querySelector('[data-testid=fit-table] [data-param]')"):
                break
            time.sleep(0.05)
        d.execute_script(HOOK)
        d.execute_script(
            "const s = document.querySelector('[data-testid=form-select]'); s.value = arguments[0]; "
            "s.dispatchEvent(new Event('change', { bubbles: true }));",
            form,
        )
        time.sleep(1)
        if len(sys.argv) > 3:
            d.execute_script(sys.argv[3])
        rows = []
        for run in range(9):
            d.execute_script("window.__ev = [];")
            t0 = d.execute_script(PASTE, sweep(1000, run + 1))
            drawn = 0
            for _ in range(400):
                drawn = d.execute_script("return window.__scalescopeDrawn || 0")
                if drawn > t0:
                    break
                time.sleep(0.005)
            time.sleep(0.5)
            first = {}
            for kind, t in d.execute_script("return window.__ev"):
                first.setdefault(kind, t)
            rows.append((drawn - t0, first["post"] - t0, first["free"] - first["post"], first["answer"] - first["post"]))
        for name, k in [("paste → redraw", 0), ("paste → post", 1), ("post → main thread free", 2), ("post → answer", 3)]:
            print(f"{name}: median {statistics.median(r[k] for r in rows):.1f} ms over {len(rows)}")
    finally:
        d.quit()


if __name__ == "__main__":
    main()
