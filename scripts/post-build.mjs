// Trunk post-build hook (Trunk.toml; Trunk runs the hooks of one stage in parallel, so this
// is the only one): in a release build, minify the JS glue (scripts/minify-glue.mjs), then
// write the service worker, which lists the final files (scripts/service-worker.mjs).
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) {
  console.error("post-build: TRUNK_STAGING_DIR is not set (run me as a Trunk hook)");
  process.exit(1);
}
if (process.env.TRUNK_PROFILE !== "release") {
  process.exit(0);
}
const { minifyGlue } = await import("./minify-glue.mjs");
const { writeServiceWorker } = await import("./service-worker.mjs");
await minifyGlue(staging);
console.log(`post-build: sw.js version ${writeServiceWorker(staging)}`);
