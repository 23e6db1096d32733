import { SqlClient } from "@effect/sql"
import { PgClient } from "@effect/sql-pg"
import { Console, Context, Effect, Layer } from "effect"
import Pg from "pg"
import * as PgArtifactStore from "../src/layers/pg/PgArtifactStore.js"
import { ArtifactStore } from "../src/services/ArtifactStore.js"
import * as PgDrain from "./pgDrain.js"
import * as PgPeers from "./pgPeers.js"
import { planProbes, runProbe } from "./pgPlans.js"
import * as PgSeed from "./pgSeed.js"
import { postgresBinDir, startPostgres } from "./postgresServer.js"

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
const storeLayer = (url: string, notices?: Array<string>, max = 4) =>
  PgArtifactStore.layerWith(
    PgClient.layerFromPool({
      acquire: Effect.acquireRelease(
        Effect.sync(() => {
          const pool = new Pg.Pool({
            connectionString: withOptions(url, notices === undefined ? "" : EXPLAIN),
            types: PgArtifactStore.types,
            max
          })
          if (notices !== undefined) pool.on("connect", (c) => c.on("notice", (n) => notices.push(n.message ?? "")))
          return pool
        }),
        (pool) => Effect.promise(() => pool.end())
      )
    })
  )

export const openStore = (url: string, notices?: Array<string>, max?: number) =>
  Effect.map(Layer.build(storeLayer(url, notices, max)), (ctx) => ({
    store: Context.get(ctx, ArtifactStore),
    sql: Context.get(ctx, SqlClient.SqlClient)
  }))

/** The dispatcher's settings for the drain: every free slot filled by one claim. */
const OURS: PgDrain.DrainSettings = { maxTasksPerTick: 32, maxInFlight: 32 }

interface Drained {
  readonly jobs: number
  readonly seconds: number
  readonly latencies: ReadonlyArray<number>
}

/** `nodes` stores draining the same fresh due jobs at once, serially (before) or as dispatchers. */
export const ours = (url: string, nodes: number, round: number, serial: boolean) =>
  Effect.gen(function*() {
    const stores = yield* Effect.forEach(Array.from({ length: nodes }), () => openStore(url, undefined, 10))
    yield* Effect.provideService(PgSeed.dueJobs(DUE_JOBS, round), SqlClient.SqlClient, stores[0]!.sql)
    const latencies: Array<number> = []
    const start = performance.now()
    const counts = yield* Effect.forEach(
      stores,
      (s, k) =>
        serial
          ? PgDrain.serial(s.store, `node-${k}`, latencies)
          : PgDrain.node(s.store, `node-${k}`, OURS, latencies),
      { concurrency: "unbounded" }
    )
    const seconds = (performance.now() - start) / 1000
    return { jobs: counts.reduce((a, b) => a + b, 0), seconds, latencies } satisfies Drained
  }).pipe(Effect.scoped)

const rate = (d: Drained) => d.jobs / d.seconds

/** Every contender's drain in each round; ratios are taken round by round, against that round's peers. */
interface Rounds {
  readonly label: string
  readonly drains: Array<Drained>
}

const range = (values: ReadonlyArray<number>, digits = 0) => {
  const sorted = [...values].sort((a, b) => a - b)
  const [low, high] = [sorted[0]!.toFixed(digits), sorted[sorted.length - 1]!.toFixed(digits)]
  return low === high ? low : `${low}–${high}`
}

const report = (r: Rounds, peers?: ReadonlyArray<number>) =>
  Console.log(
    `  ${r.label.padEnd(40)}${range(r.drains.map(rate)).padStart(12)}${
      range(r.drains.map((d) => PgDrain.percentile(d.latencies, 0.5)), 1).padStart(12)
    }${range(r.drains.map((d) => PgDrain.percentile(d.latencies, 0.99)), 1).padStart(12)}${
      (r.drains.reduce((n, d) => n + d.jobs, 0) / r.drains.reduce((n, d) => n + d.latencies.length, 0))
        .toFixed(1).padStart(7)
    }${peers === undefined ? "" : `  ${range(r.drains.map((d, i) => rate(d) / peers[i]!), 2)}×`}`
  )

/** Drains per contender; the rounds interleave them, so load from elsewhere lands on all alike. */
const ROUNDS = Number(process.env.BAA_BENCH_PG_ROUNDS ?? 3)

/**
 * The drain as measured before (serial claims of ten, each job completed alone) once, then in
 * each round our drain (as the dispatcher runs) by one and by three nodes and the two peers'
 * no-op drains of as many jobs, on the same server. A round's ratio is against the better peer
 * of that round; the range over the rounds is what "reliably" means.
 */
export const drains = (url: string) =>
  Effect.gen(function*() {
    let seedRound = 0
    const serial1 = yield* ours(url, 1, ++seedRound, true)
    const serial3 = yield* ours(url, 3, ++seedRound, true)
    const node1: Rounds = {
      label: `ours, 1 node, ${OURS.maxTasksPerTick}/tick, ${OURS.maxInFlight} in flight`,
      drains: []
    }
    const node3: Rounds = {
      label: `ours, 3 nodes, ${OURS.maxTasksPerTick}/tick, ${OURS.maxInFlight} in flight`,
      drains: []
    }
    const { graphile: g, pgBoss: b } = PgPeers.settings
    const boss: Rounds = { label: `pg-boss, fetch ${b.batchSize} x ${b.fetchers}`, drains: [] }
    const graphile: Rounds = { label: `graphile-worker, concurrency ${g.concurrency}`, drains: [] }
    for (let round = 0; round < ROUNDS; round++) {
      // The order turns each round, so no contender always runs after the same one.
      const turn = [
        () => Effect.map(ours(url, 1, ++seedRound, false), (d) => node1.drains.push(d)),
        () => Effect.map(PgPeers.pgBoss(url, DUE_JOBS), (d) => boss.drains.push(d)),
        () => Effect.map(PgPeers.graphileWorker(url, DUE_JOBS), (d) => graphile.drains.push(d)),
        () => Effect.map(ours(url, 3, ++seedRound, false), (d) => node3.drains.push(d))
      ]
      for (let k = 0; k < turn.length; k++) yield* turn[(k + round) % turn.length]!()
    }
    const peers = boss.drains.map((d, i) => Math.max(rate(d), rate(graphile.drains[i]!)))
    yield* Console.log(
      `  drain of ${DUE_JOBS} due jobs, no-op, ${ROUNDS} rounds${
        " ".repeat(4)
      }jobs/s   claim p50  p99 ms  per claim  vs better peer`
    )
    yield* report({ label: "ours, 1 node, serial (before)", drains: [serial1] }, [peers[0]!])
    yield* report(node1, peers)
    yield* report({ label: "ours, 3 nodes, serial (before)", drains: [serial3] }, [peers[0]!])
    yield* report(node3, peers)
    yield* report(boss)
    yield* report(graphile)
  })

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

    yield* drains(url)
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
