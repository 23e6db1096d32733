// Builds the extension into dist/chromium and dist/firefox: the same bundles, a manifest each.
// Run by the root `npm run build`; `node extension/build.mjs` alone works too.
import { build } from "esbuild"
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { icon } from "./icons.mjs"
import { manifest, PLATFORMS } from "./manifest.mjs"

const here = dirname(fileURLToPath(import.meta.url))
const { version } = JSON.parse(readFileSync(join(here, "..", "package.json"), "utf8"))
const dist = join(here, "dist")
const staging = join(dist, "bundle")

const entries = {
  background: "src/background/main.ts",
  popup: "src/popup/popup.ts",
  options: "src/options/options.ts",
  ...Object.fromEntries(PLATFORMS.map((p) => [`content-${p}`, `src/content/${p}.ts`]))
}
const missing = Object.values(entries).filter((file) => !existsSync(join(here, file)))
if (missing.length > 0) throw new Error(`extension entry points missing: ${missing.join(", ")}`)

rmSync(dist, { recursive: true, force: true })
// Every script is a classic IIFE: content scripts must be, and a classic service worker and a
// Firefox background script both accept it, so one bundle serves both browsers.
await build({
  absWorkingDir: here,
  entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, join(here, file)])),
  outdir: staging,
  bundle: true,
  format: "iife",
  target: ["chrome116", "firefox140"],
  legalComments: "none",
  logLevel: "warning"
})

for (const browser of ["chromium", "firefox"]) {
  const out = join(dist, browser)
  mkdirSync(join(out, "icons"), { recursive: true })
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest(browser, version), null, 2) + "\n")
  for (const name of Object.keys(entries)) copyFileSync(join(staging, `${name}.js`), join(out, `${name}.js`))
  for (const page of ["popup.html", "options.html", "ui.css"]) copyFileSync(join(here, "static", page), join(out, page))
  for (const size of [16, 32, 48, 128]) writeFileSync(join(out, "icons", `icon-${size}.png`), icon(size))
}
rmSync(staging, { recursive: true, force: true })
console.log(`extension built: ${join(dist, "chromium")}, ${join(dist, "firefox")}`)
