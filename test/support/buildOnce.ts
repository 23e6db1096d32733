import { execFileSync } from "node:child_process"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const ROOT = fileURLToPath(new URL("../..", import.meta.url))
const BUILT = join(ROOT, "dist", "src", "bin.js")

const newestUnder = (path: string): number =>
  statSync(path).isDirectory()
    ? Math.max(0, ...readdirSync(path).map((name) => newestUnder(join(path, name))))
    : statSync(path).mtimeMs

/**
 * vitest's global setup: the process-level tests run the built daemon, so build it first when
 * any source is newer than the build (`npm test` has just built it; `npx vitest run` may not have).
 */
export default function buildOnce(): void {
  buildDashboard()
  const sources = ["src", "package.json", "tsconfig.json", "tsconfig.build.json"].map((p) => join(ROOT, p))
  if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= Math.max(...sources.map(newestUnder))) return
  execFileSync(
    process.execPath,
    [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.build.json"],
    {
      cwd: ROOT,
      stdio: "inherit"
    }
  )
  // The bin the tests start is the bundle `npm run build` makes, as installed.
  execFileSync(process.execPath, [join(ROOT, "scripts", "bundle-bin.mjs")], { cwd: ROOT, stdio: "inherit" })
}

/** The daemon serves dist/dashboard: rebuilt (esbuild, well under a second) when its sources are newer. */
const buildDashboard = (): void => {
  const bundle = join(ROOT, "dist", "dashboard", "app.js")
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= newestUnder(join(ROOT, "dashboard"))) return
  execFileSync(process.execPath, [join(ROOT, "dashboard", "build.mjs")], { cwd: ROOT, stdio: "inherit" })
}
