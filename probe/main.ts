import type { Outcome } from "./daemon.js"
import * as HostileFrames from "./hostileFrames.js"
import * as KillLoop from "./killLoop.js"
import * as RandomHttp from "./randomHttp.js"
import * as Security from "./security.js"

interface Probe {
  readonly name: string
  readonly run: (argv: ReadonlyArray<string>) => Promise<Outcome>
}

/**
 * `npm run probe` runs every probe against the built daemon, each on a temp state dir; name
 * some (`npm run probe -- hostile kill9 --cycles 200`) to run only those. Each prints one
 * summary line; the exit code is 1 when any invariant broke.
 */
const probes: ReadonlyArray<Probe> = [
  { name: "security", run: Security.run },
  { name: "http", run: RandomHttp.run },
  { name: "hostile", run: HostileFrames.run },
  { name: "kill9", run: KillLoop.run }
]

const argv = process.argv.slice(2)
const named = argv.filter((arg, i) => !arg.startsWith("--") && !(argv[i - 1] ?? "").startsWith("--"))
const unknown = named.filter((name) => !probes.some((p) => p.name === name))
if (unknown.length > 0) {
  console.error(`unknown probe: ${unknown.join(", ")}; known: ${probes.map((p) => p.name).join(", ")}`)
  process.exit(2)
}

let failed = false
for (const probe of probes.filter((p) => named.length === 0 || named.includes(p.name))) {
  const outcome = await probe.run(argv).catch((error: unknown): Outcome => ({
    ok: false,
    summary: `${probe.name}: crashed: ${String(error)}`
  }))
  console.log(`${outcome.ok ? "ok  " : "FAIL"} ${outcome.summary}`)
  failed ||= !outcome.ok
}
process.exit(failed ? 1 : 0)
