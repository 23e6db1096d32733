import { describe, expect, it } from "@effect/vitest"
import { readdirSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const SRC = fileURLToPath(new URL("../../src", import.meta.url))

/**
 * Dependencies point one way: domain ← services ← programs ← layers | http ← daemon ← cli ← bin.
 * A folder may import from its own rank or below; `layers` and `http` share a rank but not
 * each other's code (the HTTP side reaches the bridge through a service).
 */
const RANK: Readonly<Record<string, number>> = {
  domain: 0,
  services: 1,
  programs: 2,
  layers: 3,
  http: 3,
  daemon: 4,
  cli: 5,
  "bin.ts": 6
}

const filesUnder = (dir: string): ReadonlyArray<string> =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith(".ts") ? [join(dir, entry.name)] : []
  )

const areaOf = (file: string) => relative(SRC, file).split("/")[0]!

const IMPORT = /(?:^|\n)\s*(?:import|export)[^"'`;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g

/** `src/x/a.ts → src/y/b.ts` for every relative import that runs against the direction. */
export const violations = (): ReadonlyArray<string> =>
  filesUnder(SRC).flatMap((file) => {
    const from = areaOf(file)
    return [...readFileSync(file, "utf8").matchAll(IMPORT)].flatMap((match) => {
      const specifier = match[1] ?? match[2]!
      if (!specifier.startsWith(".")) return []
      const target = resolve(dirname(file), specifier)
      if (!target.startsWith(SRC)) return []
      const to = areaOf(target.replace(/\.js$/, ".ts"))
      const sideways = from !== to && RANK[from] === RANK[to]
      return RANK[to]! > RANK[from]! || sideways ? [`src/${relative(SRC, file)} → src/${relative(SRC, target)}`] : []
    })
  })

describe("source structure", () => {
  it("every folder of src/ has a rank", () => {
    const areas = new Set(filesUnder(SRC).map(areaOf))
    expect([...areas].filter((area) => RANK[area] === undefined)).toEqual([])
  })

  it("no import runs against the direction domain ← services ← programs ← layers/http ← daemon ← cli", () => {
    expect(violations()).toEqual([])
  })
})
