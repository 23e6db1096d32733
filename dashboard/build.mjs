// Builds the operator dashboard into dist/dashboard: index.html, app.js and app.css, which the
// daemon serves at `/`. Run by the root `npm run build`; `node dashboard/build.mjs` alone works too.
import { build } from "esbuild"
import { copyFileSync, mkdirSync, rmSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, "..", "dist", "dashboard")

rmSync(out, { recursive: true, force: true })
mkdirSync(out, { recursive: true })
// Preact is bundled in: the page loads nothing from anywhere but the daemon, so it works offline.
await build({
  absWorkingDir: here,
  entryPoints: [join(here, "src", "main.tsx")],
  outfile: join(out, "app.js"),
  bundle: true,
  minify: true,
  format: "esm",
  target: ["chrome116", "firefox128", "safari16"],
  jsx: "automatic",
  jsxImportSource: "preact",
  legalComments: "none",
  logLevel: "warning"
})
for (const file of ["index.html", "app.css"]) copyFileSync(join(here, "static", file), join(out, file))
console.log(`dashboard built: ${out}`)
