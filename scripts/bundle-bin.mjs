// Bundles the command line (src/main.ts) into dist/src/main.cjs and makes its V8 code cache, which
// the bin (dist/src/bin.js, tsc's output of src/bin.ts) runs. One file with only the code the
// daemon reaches: an idle daemon holds about 13 MB less heap than with ~4,000 modules loaded one
// by one, and with the cache it does not parse them at all (docs/benchmarks.md, "Where an idle
// daemon's memory goes"). Identifiers are kept, so stack traces read as the sources; the source map
// sits beside it for `node --enable-source-maps`. Needs tsc's output (dist/src/codeCache.js).
import { build } from "esbuild"
import { execFileSync, spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const bundle = join(root, "dist", "src", "main.cjs")

await build({
  absWorkingDir: root,
  entryPoints: [join(root, "src", "main.ts")],
  outfile: bundle,
  bundle: true,
  platform: "node",
  // CommonJS, because node:vm compiles a script with a code cache, not an ES module (on node 20).
  format: "cjs",
  target: "node20",
  // A native addon, and ws's and pg's optional native helpers: loaded from node_modules as before.
  external: ["better-sqlite3", "bufferutil", "utf-8-validate", "pg-native"],
  // The sources' `import.meta.url`, for a CommonJS bundle: its own file.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: `const __bundleUrl = require("node:url").pathToFileURL(__filename).href;` },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: "none",
  sourcemap: "linked",
  logLevel: "warning"
})

// V8 accepts a cache only under the node flags it was made with: the bin's, from its first line.
const { cacheFile, launchFlagsOf } = await import(join(root, "dist", "src", "codeCache.js"))
const flags = launchFlagsOf(join(root, "src", "bin.ts"))
const makeCache = () =>
  execFileSync(process.execPath, [
    ...flags,
    "--input-type=module",
    "--eval",
    `import { writeCache } from ${JSON.stringify(join(root, "dist", "src", "codeCache.js"))}; writeCache(${JSON.stringify(bundle)})`
  ], { stdio: "inherit" })

/**
 * Whether the bin, with the cache just made, starts the daemon on a fresh state directory: once
 * in a few dozen builds V8 has written a cache that it then accepts and crashes on (a segfault
 * before the daemon listens), and every start would crash until the next build.
 */
const starts = () =>
  new Promise((resolve) => {
    const stateDir = mkdtempSync(join(tmpdir(), "baa-cache-check-"))
    const child = spawn(process.execPath, [
      ...flags,
      join(root, "dist", "src", "bin.js"),
      "start",
      "--state-dir",
      stateDir,
      "--port",
      "0",
      "--token",
      "cache-check"
    ], { stdio: ["ignore", "pipe", "ignore"] })
    let output = ""
    let listening = false
    const giveUp = setTimeout(() => child.kill("SIGKILL"), 30_000)
    child.stdout.on("data", (chunk) => {
      output += chunk
      if (!listening && /listening on/.test(output)) {
        listening = true
        child.kill("SIGTERM")
      }
    })
    child.on("exit", (_code, signal) => {
      clearTimeout(giveUp)
      rmSync(stateDir, { recursive: true, force: true })
      resolve(listening && signal !== "SIGSEGV" && signal !== "SIGBUS" && signal !== "SIGABRT")
    })
  })

const ATTEMPTS = 3
let made = false
for (let attempt = 1; attempt <= ATTEMPTS && !made; attempt++) {
  makeCache()
  made = await starts()
  if (!made) console.warn(`code cache: the daemon did not start with the cache just made (attempt ${attempt})`)
}
if (!made) {
  // Without a cache the bundle is compiled from its source at each start, as node would.
  rmSync(cacheFile(bundle), { force: true })
  console.warn("code cache: left out; the daemon starts without one")
}
