// Writes the page's service worker, dist/sw.js (issue 15, "Offline"): the list of the
// build's files and a version made from their bytes. Run by the Trunk post-build hook
// (scripts/post-build.mjs) in release builds, after the glue is minified; also by hand:
// `node scripts/service-worker.mjs DIR` (the end-to-end tests make a second version so).
//
// The worker (src/offline.rs explains the page's side):
// - install: fetches every file of its version past the HTTP cache into a cache named
//   after its scope and version (one origin may host several copies under sub-paths);
// - fetch: answers GET requests from that cache (the page's own address and index.html
//   ignoring any query), else from the network. Cache-first for index.html too: a new
//   index.html with an old worker would ask for files the old cache lacks, and offline
//   the old page would come back; here a version serves only its own files;
// - a new version waits (no skipWaiting on install) until the page's "reload" button
//   posts "skip"; its activate then deletes the other versions' caches of its scope and
//   claims the page, which reloads. So old and new files never mix in one page.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

// Every file under `dir`, relative, with "/" separators, sorted; sw.js excluded.
function files(dir, prefix = "") {
  return readdirSync(join(dir, prefix))
    .flatMap((name) => {
      const rel = prefix ? `${prefix}/${name}` : name;
      return statSync(join(dir, rel)).isDirectory() ? files(dir, rel) : [rel];
    })
    .filter((rel) => rel !== "sw.js")
    .sort();
}

// Writes `dir`/sw.js; returns its version.
export function writeServiceWorker(dir) {
  const list = files(dir);
  if (!list.includes("index.html")) {
    throw new Error(`service-worker: ${dir} has no index.html`);
  }
  const hash = createHash("sha256");
  for (const rel of list) {
    hash.update(rel).update("\0").update(readFileSync(join(dir, rel))).update("\0");
  }
  const version = hash.digest("hex").slice(0, 16);
  const urls = ["./", ...list.map((rel) => "./" + rel.split("/").map(encodeURIComponent).join("/"))];
  const sw = `// Scalescope's service worker, written at build time by scripts/service-worker.mjs.
const P = "scalescope " + registration.scope + " ";
const V = P + ${JSON.stringify(version)};
const FILES = ${JSON.stringify(urls)};
addEventListener("install", (e) =>
  e.waitUntil(caches.open(V).then((c) => c.addAll(FILES.map((f) => new Request(f, { cache: "reload" }))))));
addEventListener("activate", (e) =>
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k.startsWith(P) && k !== V).map((k) => caches.delete(k))))
    .then(() => clients.claim())));
addEventListener("message", (e) => { if (e.data === "skip") skipWaiting(); });
addEventListener("fetch", (e) => {
  const r = e.request;
  if (r.method !== "GET") return;
  e.respondWith(caches.open(V)
    .then((c) => c.match(r, { ignoreSearch: r.mode === "navigate" }))
    .then((hit) => hit || fetch(r)));
});
`;
  writeFileSync(join(dir, "sw.js"), sw);
  return version;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node scripts/service-worker.mjs DIR");
    process.exit(2);
  }
  console.log(`service-worker: ${dir}/sw.js, version ${writeServiceWorker(dir)}`);
}
