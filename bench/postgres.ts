import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Console, Context, Effect, Layer } from "effect"
import Pg from "pg"
import * as PgArtifactStore from "../src/layers/pg/PgArtifactStore.js"
import { ArtifactStore, type ArtifactStoreService } from "../src/services/ArtifactStore.js"
import { planProbes, runProbe } from "./pgPlans.js"
import * as PgSeed from "./pgSeed.js"
import { postgresBinDir, startPostgres } from "./postgresServer.js"
import * as Seed from "./seed.js"

const SEEDED = { messages: 1_000_000, conversations: 100_000 }
const DUE_JOBS = 10_000

// Every statement's plan, with actual rows, sent back to the client as a notice.
const EXPLAIN = [
  "-c session_preload_libraries=auto_explain",
  "-c auto_explain.log_min_duration=0",
  "-c auto_explain.log_analyze=on",
  "-c auto_explain.log_level=notice"
].join(" ")

const withOptions = (url: string, options: string) =>
  `${url}?options=${encodeURIComponent(`-c search_path=bench ${options}`)}`

/** A store on the bench schema; with `notices`, its connections report every plan there. */
const storeLayer = (url: string, notices?: Array<string>) =>
  PgArtifactStore.layerWith(
    PgClient.layerFromPool({
      acquire: Effect.acquireRelease(
        Effect.sync(() => {
          const pool = new Pg.Pool({
            connectionString: withOptions(url, notices === undefined ? "" : EXPLAIN),
            types: PgArtifactStore.types,
            max: 4
          })
          if (notices !== undefined) pool.on("connect", (c) => c.on("notice", (n) => notices.push(n.message ?? "")))
          return pool
        }),
        (pool) => Effect.promise(() => pool.end())
      )
    })
  )

const openStore = (url: string, notices?: Array<string>) =>
  Effect.map(Layer.build(storeLayer(url, notices)), (ctx) => ({
    store: Context.get(ctx, ArtifactStore),
    sql: Context.get(ctx, SqlClient.SqlClient)
  }))

/** Claims ten, completes each under its claim, until nothing is due; every claim's latency kept. */
const drain = (store: ArtifactStoreService, node_id: string, latencies: Array<number>) =>
  Effect.gen(function*() {
    const claim = { node_id, run_id: "run", claimed_at: Seed.HISTORY_END * 2 }
    let jobs = 0
    while (true) {
      const start = performance.now()
      const batch = yield* store.claimDueJobs({ ...claim, now: claim.claimed_at, limit: 10 })
      latencies.push(performance.now() - start)
      if (batch.length === 0) return jobs
      yield* Effect.forEach(batch, (job) =>
        store.updateClaimedJob(job.job_id, claim, {
          status: "done",
          next_attempt_at: null,
          finished_at: Seed.HISTORY_END
        }))
      jobs += batch.length
    }
  })

const percentile = (ms: ReadonlyArray<number>, p: number) =>
  [...ms].sort((a, b) => a - b)[Math.floor((ms.length - 1) * p)]!

/** `nodes` stores draining the same due jobs at once: jobs per second and claim latency. */
const drainWith = (url: string, nodes: number, round: number) =>
  Effect.gen(function*() {
    const stores = yield* Effect.forEach(Array.from({ length: nodes }), () => openStore(url))
    yield* Effect.provideService(PgSeed.dueJobs(DUE_JOBS, round), SqlClient.SqlClient, stores[0]!.sql)
    const latencies: Array<number> = []
    const start = performance.now()
    const counts = yield* Effect.forEach(stores, (s, k) => drain(s.store, `node-${k}`, latencies), {
      concurrency: "unbounded"
    })
    const seconds = (performance.now() - start) / 1000
    const jobs = counts.reduce((a, b) => a + b, 0)
    yield* Console.log(
      `  drain of ${jobs} due jobs by ${nodes} node(s), 10 per claim: ${(jobs / seconds).toFixed(0)} jobs/s; ` +
        `claim latency p50 ${percentile(latencies, 0.5).toFixed(2)} ms, p99 ${
          percentile(latencies, 0.99).toFixed(2)
        } ms`
    )
  }).pipe(Effect.scoped)

const bench = (url: string) =>
  Effect.gen(function*() {
    yield* Effect.promise(async () => {
      const admin = new Pg.Client({ connectionString: url })
      await admin.connect()
      await admin.query("DROP SCHEMA IF EXISTS bench CASCADE; CREATE SCHEMA bench")
      await admin.end()
    })
    const { sql } = yield* openStore(url)
    const start = performance.now()
    yield* PgSeed.conversations(SEEDED.conversations).pipe(
      Effect.zipRight(PgSeed.history(SEEDED.messages, SEEDED.conversations)),
      Effect.zipRight(PgSeed.dueJobs(DUE_JOBS)),
      Effect.provideService(SqlClient.SqlClient, sql)
    )
    yield* Console.log(
      `postgres: ${SEEDED.conversations} conversations, ${
        SEEDED.conversations * 2
      } links, ${SEEDED.messages} messages, ` +
        `${SEEDED.messages} done jobs + ${DUE_JOBS} due jobs; seeded in ${
          ((performance.now() - start) / 1000).toFixed(1)
        } s`
    )

    const notices: Array<string> = []
    const { store } = yield* openStore(url, notices)
    yield* Console.log(
      `  ${"operation (EXPLAIN ANALYZE)".padEnd(36)}${"ms".padStart(8)}${"max rows".padStart(10)}  scans`
    )
    let seqScans = 0
    for (const probe of planProbes) {
      yield* probe.run(store) // warm
      const plan = yield* runProbe(store, probe, notices)
      if (plan.seqScan) seqScans++
      yield* Console.log(
        `  ${probe.label.padEnd(36)}${plan.ms.toFixed(2).padStart(8)}${String(plan.maxRows).padStart(10)}  ${
          plan.scans.join("; ")
        }`
      )
    }
    yield* Console.log(`  sequential scans of a big table: ${seqScans}`)
    // The probes claimed and re-timed jobs: every drain starts from its own fresh due jobs.
    yield* sql.unsafe(
      `UPDATE renewal_jobs SET status = 'done', next_attempt_at = NULL WHERE status IN ('pending', 'running')`
    )

    yield* drainWith(url, 1, 1)
    yield* drainWith(url, 3, 2)
  }).pipe(Effect.scoped)

export const name = "postgres"

/** On `BAA_BENCH_POSTGRES_URL`, or on a throw-away server when Debian's `postgresql` is installed. */
export const run = () =>
  Effect.gen(function*() {
    const given = process.env.BAA_BENCH_POSTGRES_URL
    if (given !== undefined && given !== "") return yield* bench(given)
    const bin = postgresBinDir()
    if (bin === undefined) {
      return yield* Console.log(
        "postgres: skipped (no PostgreSQL: apt-get install -y postgresql, or set BAA_BENCH_POSTGRES_URL)"
      )
    }
    yield* Effect.acquireUseRelease(
      Effect.promise(() => startPostgres(bin, { durable: true })),
      (server) => bench(server.url),
      (server) => Effect.sync(server.stop)
    )
  }).pipe(Effect.orDie)
