// Builds devtrack/static/build/dkfds.css: DKFDS's stylesheet without the rules no devtrack page
// uses (PurgeCSS over the templates, the Python code and both scripts), its fonts and images
// addressed with the same content fingerprint devtrack's asset routes use, so browsers keep
// them a year. Run by `make css`; the result is generated, never committed.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PurgeCSS } from "purgecss";

const project = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(project, "node_modules", "dkfds", "dist");
const target = join(project, "devtrack", "static", "build", "dkfds.css");

const [result] = await new PurgeCSS().purge({
  css: [join(dist, "css", "dkfds.min.css")],
  content: [
    join(project, "templates", "**", "*.html"),
    join(project, "devtrack", "**", "*.py"),
    join(project, "devtrack", "static", "js", "*.js"),
    join(dist, "js", "dkfds.js"),
  ],
  fontFace: false,
  keyframes: false,
  variables: false,
  safelist: {
    // Classes put together in templates from a value: alert-{{ category }}, form-{{ kind }}.
    standard: [/^alert-/, /^form-(group-)?(checkbox|radio)$/],
    greedy: [/^js-/],
  },
});

// url(../fonts/…) and url(../img/…) point into DKFDS's dist folder, served at /assets/dkfds/.
const fingerprinted = result.css.replace(/url\((["']?)\.\.\/([^)"'?#]+)([^)"']*)\1\)/g, (_m, q, path) => {
  const digest = createHash("sha256").update(readFileSync(join(dist, path))).digest("hex");
  return `url(${q}/assets/dkfds/${path}?v=${digest.slice(0, 12)}${q})`;
});

mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, fingerprinted);
const before = readFileSync(join(dist, "css", "dkfds.min.css")).length;
console.log(`${target}: ${fingerprinted.length} bytes (DKFDS's full stylesheet: ${before})`);
