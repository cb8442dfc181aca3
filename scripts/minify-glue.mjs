// Trunk post-build hook (Trunk.toml): minifies wasm-bindgen's JS glue in a release build and
// updates its Subresource Integrity hash in index.html. Size budget, issue 2: the glue is 52 KB
// of readable JS, about 9 KB gzip; minified, about 7 KB.
//
// Only local names and whitespace change. The import object's keys are property names, which
// terser keeps (no property mangling), so the wasm still finds every import. The glue's
// file name keeps the content hash of the unminified glue: it still changes with every build
// of different glue, which is all a cache needs.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("minify-glue: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}
// Loaded only here, so a debug build (`trunk serve`) works before `npm ci`.
const { minify } = await import("terser");

const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");
const htmlPath = join(staging, "index.html");
let html = readFileSync(htmlPath, "utf8");
const glues = readdirSync(staging).filter((f) => f.endsWith(".js"));
if (glues.length === 0) {
  console.error(`minify-glue: no .js in ${staging}`);
  process.exit(1);
}
for (const name of glues) {
  const path = join(staging, name);
  const before = readFileSync(path);
  const out = await minify(before.toString("utf8"), { module: true, compress: true, mangle: true });
  const after = Buffer.from(out.code, "utf8");
  const [oldHash, newHash] = [sri(before), sri(after)];
  if (!html.includes(oldHash)) {
    console.error(`minify-glue: index.html has no integrity ${oldHash} for ${name}`);
    process.exit(1);
  }
  html = html.replaceAll(oldHash, newHash);
  writeFileSync(path, after);
  console.log(`minify-glue: ${name} ${before.length} -> ${after.length} bytes`);
}
writeFileSync(htmlPath, html);
