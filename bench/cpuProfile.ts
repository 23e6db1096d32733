/**
 * Where a server's CPU went, from a `.cpuprofile` written by `node --cpu-prof` (the list section
 * writes one per server with `BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=DIR"`). Busy samples
 * only (idle left out), grouped by what they are, and the functions with the most self time.
 * `node dist/bench/cpuProfile.js <file> [cpu ms per request] [seconds to skip]`: with the CPU per
 * request the bench printed, each group is also shown in ms per request; skipping the first
 * seconds leaves start-up out.
 */
import { readFileSync } from "node:fs"

interface ProfileNode {
  readonly id: number
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number }
}
interface Profile {
  readonly nodes: ReadonlyArray<ProfileNode>
  readonly samples: ReadonlyArray<number>
  readonly timeDeltas: ReadonlyArray<number>
}

/** The first rule a frame matches names its group. */
const GROUPS: ReadonlyArray<readonly [string, (url: string, name: string) => boolean]> = [
  ["garbage collection", (_, name) => name === "(garbage collector)"],
  ["SQLite statements (better-sqlite3)", (url) => /sql-sqlite-node\/dist\/esm\/SqliteClient|better-sqlite3/.test(url)],
  ["Schema decoding", (url) => /node_modules\/effect\/dist\/esm\/(ParseResult|Schema)\.js/.test(url)],
  ["Effect runtime (fibers, context)", (url) => /node_modules\/effect\//.test(url)],
  ["@effect/platform, @effect/sql", (url) => /node_modules\/(@effect\/(platform|sql)|find-my-way)/.test(url)],
  ["the daemon's own code", (url) => /\/dist\/src\//.test(url)],
  ["the raw handler's own code", (url) => /\/dist\/bench\//.test(url)],
  [
    "node:http and socket writes",
    (url, name) => name === "writev" || /^node:(_http|net|events|internal\/(stream|http))/.test(url)
  ],
  ["other (node internals, module loading)", () => true]
]

const [file, perRequest, skipSeconds] = process.argv.slice(2)
const profile = JSON.parse(readFileSync(file!, "utf8")) as Profile
const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
const groups = new Map<string, number>()
const functions = new Map<string, number>()
let elapsed = 0
let busy = 0
profile.samples.forEach((id, i) => {
  const delta = profile.timeDeltas[i] ?? 0
  elapsed += delta
  const { functionName: name, lineNumber, url } = nodes.get(id)!.callFrame
  if (elapsed < Number(skipSeconds ?? 0) * 1e6 || name === "(idle)") return
  busy += delta
  const group = GROUPS.find(([, matches]) => matches(url, name))![0]
  groups.set(group, (groups.get(group) ?? 0) + delta)
  const where = `${name || "(anonymous)"} ${url.replace(/^.*node_modules\//, "").replace(/^.*\/dist\//, "")}:${
    lineNumber + 1
  }`
  functions.set(where, (functions.get(where) ?? 0) + delta)
})

const share = (time: number) => `${((100 * time) / busy).toFixed(1).padStart(5)} %`
const ms = (time: number) => perRequest === undefined ? "" : `  ${((Number(perRequest) * time) / busy).toFixed(3)} ms`
console.log(`busy ${(busy / 1e6).toFixed(2)} s`)
for (const [group, time] of [...groups].sort((a, b) => b[1] - a[1])) console.log(`${share(time)}${ms(time)}  ${group}`)
console.log("\nmost self time:")
for (const [where, time] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 20)) {
  console.log(`${share(time)}  ${where}`)
}
