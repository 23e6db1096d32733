import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { drain } from "./daemonDrain.js"

/**
 * `--max-tasks-per-tick` 10, 100, 1,000 and the largest the daemon accepts: the built daemon
 * drains 10,000 due jobs through WebSocket clients (`bench/daemonDrain.ts`), at the default
 * `--max-in-flight` and with as many in flight as the batch allows (the daemon accepts at most
 * 1,000); jobs/s and the daemon's peak RSS.
 */
/** `BENCH_JOBS=<n>` tries a smaller backlog on a busy machine. */
const JOBS = Number(process.env.BENCH_JOBS ?? 10_000)
const BATCHES = [10, 100, 1_000, 10_000]
const MAX_IN_FLIGHT = 1_000

const cell = (d: { readonly jobs_per_s: number; readonly peak_rss_mb: number }) =>
  `${d.jobs_per_s.toFixed(0).padStart(5)} jobs/s, peak RSS ${d.peak_rss_mb.toFixed(0).padStart(4)} MB`

export const name = "batch-sweep"

export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-sweep-" })
    yield* Console.log(`batch-sweep: built daemon drains ${JOBS} due jobs through WebSocket clients`)
    yield* Console.log(
      `  ${"batch".padEnd(7)}${"max in flight 32 (default)".padEnd(36)}max in flight = batch (≤ ${MAX_IN_FLIGHT})`
    )
    for (const batch of BATCHES) {
      const bounded = yield* drain(dir, JOBS, ["--max-tasks-per-tick", String(batch)])
      const inFlight = String(Math.min(batch, MAX_IN_FLIGHT))
      const wide = yield* drain(dir, JOBS, ["--max-tasks-per-tick", String(batch), "--max-in-flight", inFlight])
      yield* Console.log(`  ${String(batch).padEnd(7)}${cell(bounded).padEnd(36)}${cell(wide)}`)
    }
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)
