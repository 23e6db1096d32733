import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { Console, Effect, Layer } from "effect"
import * as RenewalPrograms from "../src/programs/RenewalPrograms.js"
import { benchEnv } from "./dispatcher.js"
import * as Profile from "./inspectorProfile.js"
import * as PlainJob from "./plainjob.js"
import * as Seed from "./seed.js"

export const JOBS = 10_000
// Quick iteration: `BENCH_ROUNDS=1 npm run bench -- pipeline`.
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3)
// Settings measured, `batch x in-flight` pairs: `BENCH_PIPELINE="10x32 1000x1000"`.
const SETTINGS = (process.env["BENCH_PIPELINE"] ?? "10x32 1000x1000").split(/[ ,]+/).map((pair) => {
  const [batch, inFlight] = pair.split("x").map(Number)
  return { batch: batch!, inFlight: inFlight ?? batch! }
})

/** `count` auto conversations with one due job each, seeded set-based. */
export const seedAuto = (count: number) =>
  Effect.gen(function*() {
    yield* Seed.conversations(count)
    yield* Seed.dueJobs(count)
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE local_conversations SET automation_status = 'auto', paused_at = NULL`
  })

/**
 * The daemon's programs as they run (scheduler, wake-ups, pipeline, group commit, JSONL log)
 * with an instant in-process bridge, on a store already seeded: starts them and times until
 * every job is done. RSS is sampled while it drains.
 */
export const timedDrain = (name: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    let peakRss = process.memoryUsage().rss
    const profiling = yield* Profile.start
    const start = performance.now()
    yield* Layer.build(RenewalPrograms.layer)
    for (;;) {
      yield* Effect.sleep("5 millis")
      peakRss = Math.max(peakRss, process.memoryUsage().rss)
      // One index probe: counting the done jobs every 5 ms cost the drain a fifth of a core.
      const left = yield* sql`SELECT 1 FROM renewal_jobs WHERE status IN ('pending', 'running') LIMIT 1`
      if (left.length === 0) break
    }
    const ms = performance.now() - start
    yield* profiling.stop(name)
    return { jobs_per_s: (JOBS / ms) * 1000, ms, peak_rss_mb: peakRss / 2 ** 20 }
  }).pipe(Effect.scoped)

/** Seeds `JOBS` due jobs and drains them (`timedDrain`) at one batch size and in-flight bound. */
const drainOnce = (dir: string, maxTasksPerTick: number, maxInFlight: number) =>
  seedAuto(JOBS).pipe(
    Effect.zipRight(timedDrain(`pipeline-${maxTasksPerTick}x${maxInFlight}`)),
    // As the daemon runs its programs: no tracer, so no spans.
    Effect.withTracerEnabled(false),
    Effect.provide(
      benchEnv(dir, maxTasksPerTick, `pipe-${maxTasksPerTick}-${maxInFlight}.db`, { maxInFlight, intervalMs: 5000 })
    )
  )

const fmt = (n: number, digits = 0) => n.toFixed(digits)
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

/**
 * The pipeline section: plainjob's no-op drain of 10,000 jobs against the daemon's drain of
 * 10,000 due jobs through an instant bridge, interleaved, three rounds, medians: at the
 * defaults (batch 10, 32 in flight) and with a batch of 1,000 claimed and in flight at once.
 * `BENCH_PROFILE_DIR` writes a CPU profile of each drain (`bench/inspectorProfile.ts`). The
 * batch-size sweep runs against the built daemon (`bench/batchSweep.ts`).
 */
export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-pipeline-" })
    const peer: Array<number> = []
    const ours = SETTINGS.map((): Array<number> => [])
    for (let round = 0; round < ROUNDS; round++) {
      const roundDir = path.join(dir, `r${round}`)
      yield* fs.makeDirectory(roundDir)
      peer.push((yield* PlainJob.drain(roundDir, JOBS)).jobs_per_s)
      for (const [i, { batch, inFlight }] of SETTINGS.entries()) {
        ours[i]!.push((yield* drainOnce(roundDir, batch, inFlight)).jobs_per_s)
      }
    }
    yield* Console.log(
      `pipeline: drain of ${JOBS} due jobs, instant in-process bridge (medians of ${ROUNDS}, interleaved)`
    )
    yield* Console.log(`  plainjob 0.0.14 no-op: ${fmt(median(peer))} jobs/s  (${peer.map((x) => fmt(x)).join(", ")})`)
    for (const [i, { batch, inFlight }] of SETTINGS.entries()) {
      const runs = ours[i]!
      yield* Console.log(
        `  baa-conductor, batch ${batch}, max in flight ${inFlight}: ${fmt(median(runs))} jobs/s  (${
          runs.map((x) => fmt(x)).join(", ")
        }), ${fmt(median(runs) / median(peer), 2)}x plainjob`
      )
    }
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)

export const name = "pipeline"
