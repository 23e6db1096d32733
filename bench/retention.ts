import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Clock, Console, Context, Duration, Effect, Fiber, Layer, Ref } from "effect"
import * as SqliteArtifactStore from "../src/layers/sqlite/SqliteArtifactStore.js"
import * as SqliteJobHousekeeping from "../src/layers/sqlite/SqliteJobHousekeeping.js"
import * as RetentionProgram from "../src/programs/retention/Retention.js"
import { ArtifactStore, type ArtifactStoreService } from "../src/services/ArtifactStore.js"
import { JobHousekeeping } from "../src/services/JobHousekeeping.js"
import { RenewalLog } from "../src/services/RenewalLog.js"
import {
  DAY_MS,
  defaultRetentionSettings,
  RetentionSettings,
  type RetentionSettingsService
} from "../src/services/Retention.js"
import * as Seed from "./seed.js"

/** A million done jobs, all long past `--job-retention-days`, in 100k conversations. */
const JOBS = 1_000_000
const CONVERSATIONS = 100_000
const page = { limit: 20, offset: 0 }
const TURNS = Number(process.env.BENCH_PRUNE_TURNS ?? 8)
const SLICE = Number(process.env.BENCH_PRUNE_SLICE ?? 5_000)
/**
 * The daemon's batching (time-budgeted, paced; `BENCH_PRUNE_BATCH`, `BENCH_PRUNE_BUDGET_MS` and
 * `BENCH_PRUNE_SHARE` try others) against the earlier rule in the same run: slices of the history
 * (`TURNS` of `SLICE` jobs, oldest first) go alternately in fixed batches of 100, one timer turn
 * apart, and by the daemon's rule; the table holds close to a million jobs throughout.
 */
const settings: RetentionSettingsService = {
  ...defaultRetentionSettings,
  batchSize: Number(process.env.BENCH_PRUNE_BATCH ?? defaultRetentionSettings.batchSize),
  batchBudgetMs: Number(process.env.BENCH_PRUNE_BUDGET_MS ?? defaultRetentionSettings.batchBudgetMs),
  pruneShare: Number(process.env.BENCH_PRUNE_SHARE ?? defaultRetentionSettings.pruneShare)
}
const fixedBatches: RetentionSettingsService = {
  ...defaultRetentionSettings,
  batchSize: 100,
  batchBudgetMs: Number.POSITIVE_INFINITY,
  pruneShare: 1
}

const percentile = (ms: ReadonlyArray<number>, p: number) => {
  const sorted = [...ms].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0
}

/**
 * `GET /v1/renewal/jobs` and `?status=done` as the store answers them, each asked `GAP_MS` after
 * the previous answer, until `stop` says so. A request's latency runs from when it was due, so
 * time spent waiting for a pruning batch that holds the event loop counts, as it would for an
 * HTTP client.
 */
const GAP_MS = 2
const sampleLists = (store: ArtifactStoreService, stop: Effect.Effect<boolean>, max: number) =>
  Effect.gen(function*() {
    const ms: Array<number> = []
    for (let k = 0; ms.length < max && !(yield* stop); k++) {
      const due = performance.now() + GAP_MS
      yield* Effect.sleep(Duration.millis(GAP_MS))
      yield* store.listJobs(k % 2 === 0 ? page : { ...page, status: "done" })
      ms.push(performance.now() - due)
    }
    return ms
  })

const fmt = (ms: number) => `${ms.toFixed(2)} ms`
const line = (label: string, ms: ReadonlyArray<number>) =>
  Console.log(
    `  ${label.padEnd(32)} n=${String(ms.length).padStart(6)}  p50 ${fmt(percentile(ms, 0.5))}  p99 ${
      fmt(percentile(ms, 0.99))
    }  max ${fmt(percentile(ms, 1))}`
  )

export const name = "retention"

export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-retention-" })
    const ctx = yield* Layer.build(
      SqliteJobHousekeeping.layer.pipe(
        Layer.provideMerge(SqliteArtifactStore.layer({ filename: path.join(dir, "r.db") }))
      )
    )
    const seedStart = performance.now()
    yield* Seed.conversations(CONVERSATIONS).pipe(
      Effect.zipRight(Seed.history(JOBS, CONVERSATIONS)),
      Effect.provide(ctx)
    )
    yield* Console.log(
      `retention: ${JOBS} done jobs past retention (seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s)`
    )
    const store = Context.get(ctx, ArtifactStore)

    const idle = yield* sampleLists(store, Effect.succeed(false), 1000)

    const noLog = RenewalLog.of({
      write: () => Effect.void,
      pathAt: () => "",
      directory: dir,
      removeBefore: () => Effect.succeed([])
    })
    /** Prunes what finished before `before` with `rule`; the list latencies meanwhile. */
    const pruneWhileListing = (rule: RetentionSettingsService, before: number) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const retention = yield* RetentionProgram.make.pipe(
          Effect.provideService(JobHousekeeping, Context.get(ctx, JobHousekeeping)),
          Effect.provideService(RenewalLog, noLog),
          Effect.provideService(RetentionSettings, { ...rule, jobRetentionDays: (now - before) / DAY_MS })
        )
        const finished = yield* Ref.make(false)
        const start = performance.now()
        const pruning = yield* retention.pruneNow.pipe(Effect.ensuring(Ref.set(finished, true)), Effect.fork)
        const ms = yield* sampleLists(store, Ref.get(finished), Number.MAX_SAFE_INTEGER)
        const report = yield* Fiber.join(pruning)
        return { ms, report, seconds: (performance.now() - start) / 1000 }
      })
    // The two rules take turns, an idle sample before each turn, so both see the same machine.
    // Seeded jobs are created 10 ms apart from EPOCH.
    const rules = [["fixed 100", fixedBatches], ["daemon's rule", settings]] as const
    const results = rules.map(() => ({ ms: [] as Array<number>, deleted: 0, batches: 0, seconds: 0 }))
    for (let turn = 1; turn <= TURNS; turn++) {
      const k = (turn - 1) % 2
      idle.push(...yield* sampleLists(store, Effect.succeed(false), 500))
      const slice = yield* pruneWhileListing(rules[k]![1], Seed.EPOCH + SLICE * turn * 10)
      const sum = results[k]!
      sum.ms.push(...slice.ms)
      sum.deleted += slice.report.deleted_jobs
      sum.batches += slice.report.batches
      sum.seconds += slice.seconds
    }
    yield* line("list, idle", idle)
    for (const [k, [label]] of rules.entries()) {
      const sum = results[k]!
      yield* line(`list, pruning (${label})`, sum.ms)
      yield* Console.log(
        `    ${sum.deleted} jobs in ${sum.batches} batches (${Math.round(sum.deleted / sum.batches)} a batch): ${
          sum.seconds.toFixed(1)
        } s, ${Math.round(sum.deleted / sum.seconds)} jobs/s`
      )
    }
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)
