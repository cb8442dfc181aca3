// Minifies wasm-bindgen's JS glue in a release build and updates its Subresource Integrity
// hash in index.html (called by the Trunk post-build hook, scripts/post-build.mjs). Size
// budget, issue 2: the glue is 52 KB of readable JS, about 9 KB gzip; minified, about 7 KB.
//
// Only local names and whitespace change. The import object's keys are property names, which
// terser keeps (no property mangling), so the wasm still finds every import. The glue's
// file name keeps the content hash of the unminified glue: it still changes with every build
// of different glue, which is all a cache needs.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const sri = (bytes) => "sha384-" + createHash("sha384").update(bytes).digest("base64");

// Minifies every .js in `staging` (Trunk's staging dir) and fixes index.html's integrity.
export async function minifyGlue(staging) {
  // Loaded only here, so a debug build (`trunk serve`) works before `npm ci`.
  const { minify } = await import("terser");
  const htmlPath = join(staging, "index.html");
  let html = readFileSync(htmlPath, "utf8");
  const glues = readdirSync(staging).filter((f) => f.endsWith(".js"));
  if (glues.length === 0) {
    throw new Error(`minify-glue: no .js in ${staging}`);
  }
  for (const name of glues) {
    const path = join(staging, name);
    const before = readFileSync(path);
    const out = await minify(before.toString("utf8"), { module: true, compress: true, mangle: true });
    const after = Buffer.from(out.code, "utf8");
    const [oldHash, newHash] = [sri(before), sri(after)];
    if (!html.includes(oldHash)) {
      throw new Error(`minify-glue: index.html has no integrity ${oldHash} for ${name}`);
    }
    html = html.replaceAll(oldHash, newHash);
    writeFileSync(path, after);
    console.log(`minify-glue: ${name} ${before.length} -> ${after.length} bytes`);
  }
  writeFileSync(htmlPath, html);
}
