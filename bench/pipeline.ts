import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { Console, Effect, Layer } from "effect"
import * as RenewalPrograms from "../src/programs/RenewalPrograms.js"
import { benchEnv } from "./dispatcher.js"
import * as PlainJob from "./plainjob.js"
import * as Seed from "./seed.js"

const JOBS = 10_000
// Quick iteration: `BENCH_ROUNDS=1 BENCH_SWEEP=0 npm run bench -- pipeline`.
const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3)
const SWEEP = process.env["BENCH_SWEEP"] !== "0"

/** `count` auto conversations with one due job each, seeded set-based. */
const seedAuto = (count: number) =>
  Effect.gen(function*() {
    yield* Seed.conversations(count)
    yield* Seed.dueJobs(count)
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE local_conversations SET automation_status = 'auto', paused_at = NULL`
  })

/**
 * The daemon's programs as they run (scheduler, wake-ups, pipeline, group commit, JSONL log)
 * with an instant in-process bridge: seeds, starts them, and times until every job is done.
 * RSS is sampled while it drains.
 */
const drainOnce = (dir: string, maxTasksPerTick: number, maxInFlight: number) =>
  Effect.gen(function*() {
    yield* seedAuto(JOBS)
    const sql = yield* SqlClient.SqlClient
    let peakRss = process.memoryUsage().rss
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
    return { jobs_per_s: (JOBS / ms) * 1000, ms, peak_rss_mb: peakRss / 2 ** 20 }
  }).pipe(
    Effect.scoped,
    Effect.provide(
      benchEnv(dir, maxTasksPerTick, `pipe-${maxTasksPerTick}-${maxInFlight}.db`, { maxInFlight, intervalMs: 5000 })
    )
  )

const fmt = (n: number, digits = 0) => n.toFixed(digits)
const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0

/**
 * The pipeline section: plainjob's no-op drain of 10,000 jobs against the daemon's drain of
 * 10,000 due jobs through an instant bridge, interleaved, three rounds, medians; then the
 * batch-size sweep (`--max-tasks-per-tick` 10, 100, 1,000, 10,000) with jobs/s and peak RSS.
 */
export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-pipeline-" })
    const peer: Array<number> = []
    const ours: Array<number> = []
    for (let round = 0; round < ROUNDS; round++) {
      const roundDir = path.join(dir, `r${round}`)
      yield* fs.makeDirectory(roundDir)
      peer.push((yield* PlainJob.drain(roundDir, JOBS)).jobs_per_s)
      ours.push((yield* drainOnce(roundDir, 10, 32)).jobs_per_s)
    }
    yield* Console.log(
      `pipeline: drain of ${JOBS} due jobs, instant in-process bridge (medians of ${ROUNDS}, interleaved)`
    )
    yield* Console.log(`  plainjob 0.0.14 no-op: ${fmt(median(peer))} jobs/s  (${peer.map((x) => fmt(x)).join(", ")})`)
    yield* Console.log(
      `  baa-conductor, batch 10, max in flight 32: ${fmt(median(ours))} jobs/s  (${
        ours.map((x) => fmt(x)).join(", ")
      })`
    )
    yield* Console.log(`  ratio: ${fmt(median(ours) / median(peer), 2)}x plainjob`)
    if (!SWEEP) return
    yield* Console.log("  batch-size sweep (max in flight 32 / = batch):")
    for (const batch of [10, 100, 1000, 10_000]) {
      const sweepDir = path.join(dir, `s${batch}`)
      yield* fs.makeDirectory(sweepDir)
      const bounded = yield* drainOnce(sweepDir, batch, 32)
      const wide = yield* drainOnce(sweepDir, batch, batch)
      yield* Console.log(
        `    batch ${batch}: ${fmt(bounded.jobs_per_s)} jobs/s, peak RSS ${fmt(bounded.peak_rss_mb)} MB` +
          ` | in flight ${batch}: ${fmt(wide.jobs_per_s)} jobs/s, peak RSS ${fmt(wide.peak_rss_mb)} MB`
      )
    }
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)

export const name = "pipeline"
