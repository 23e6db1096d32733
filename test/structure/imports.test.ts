import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const SRC = fileURLToPath(new URL("../../src", import.meta.url))

/**
 * Dependencies point one way: domain ← services ← programs ← layers | http ← daemon ← cli ← main ← bin.
 * A folder may import from its own rank or below; `layers` and `http` share a rank but not
 * each other's code (the HTTP side reaches the bridge through a service). The dashboard's
 * location imports nothing; the code cache runs the bundled `main` for the bin.
 */
const RANK: Readonly<Record<string, number>> = {
  domain: 0,
  services: 1,
  programs: 2,
  layers: 3,
  http: 3,
  daemon: 4,
  cli: 5,
  "dashboardDir.ts": 0,
  "main.ts": 6,
  "codeCache.ts": 6,
  "bin.ts": 7
}

const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

const areaOf = (file: string) => relative(SRC, file).split("/")[0]!

const IMPORT = /(?:^|\n)\s*(?:import|export)[^"'`;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g

/** Every relative import inside src/: the importing file and the imported one, both under src/. */
const imports = (): ReadonlyArray<{ readonly file: string; readonly target: string }> =>
  filesUnder(SRC).flatMap((file) =>
    [...readFileSync(file, "utf8").matchAll(IMPORT)]
      .map((match) => match[1] ?? match[2]!)
      .filter((specifier) => specifier.startsWith("."))
      .map((specifier) => ({ file, target: resolve(dirname(file), specifier) }))
      .filter(({ target }) => target.startsWith(SRC))
  )

const shown = ({ file, target }: { readonly file: string; readonly target: string }) =>
  `src/${relative(SRC, file)} → src/${relative(SRC, target)}`

/** `src/x/a.ts → src/y/b.ts` for every relative import that runs against the direction. */
export const violations = (): ReadonlyArray<string> =>
  imports()
    .filter(({ file, target }) => {
      const from = areaOf(file)
      const to = areaOf(target.replace(/\.js$/, ".ts"))
      return RANK[to]! > RANK[from]! || (from !== to && RANK[from] === RANK[to])
    })
    .map(shown)

describe("source structure", () => {
  it("every folder of src/ has a rank", () => {
    const areas = new Set(filesUnder(SRC).map(areaOf))
    expect([...areas].filter((area) => RANK[area] === undefined)).toEqual([])
  })

  it("no import runs against the direction domain ← services ← programs ← layers/http ← daemon ← cli", () => {
    expect(violations()).toEqual([])
  })

  it("only the HTTP handlers (…Http.ts) call programs; API definitions and views are shapes", () => {
    const shapes = imports().filter(
      ({ file, target }) => areaOf(file) === "http" && !file.endsWith("Http.ts") && areaOf(target) === "programs"
    )
    expect(shapes.map(shown)).toEqual([])
  })

  it("@effect/platform and @effect/platform-node are imported by module, never through their index", () => {
    // The index loads every module, the Swagger and Scalar pages among them: ~30 MB of a daemon's RSS.
    const barrel = /^\s*import\s+(?!type\b)[^;]*?from\s+["']@effect\/platform(-node)?["']/m
    const offenders = filesUnder(SRC).filter((file) => barrel.test(readFileSync(file, "utf8")))
    expect(offenders.map((file) => `src/${relative(SRC, file)}`)).toEqual([])
  })
})
