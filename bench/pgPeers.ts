import { Effect } from "effect"
import { Logger, run as runGraphile, runMigrations } from "graphile-worker"
import { EventEmitter } from "node:events"
import Pg from "pg"
import PgBoss from "pg-boss"

/** What a peer's drain of `jobs` no-op jobs measured. */
export interface PeerDrain {
  readonly jobs: number
  readonly seconds: number
  /** Each claim's latency (a fetch of a batch, or one worker's take), ms. */
  readonly latencies: ReadonlyArray<number>
}

/** Throughput settings, as each peer's documentation advises. */
export const settings = {
  pgBoss: { batchSize: 32, fetchers: 1, pool: 10 },
  graphile: { concurrency: 32, pool: 40, pollInterval: 2000 }
} as const

const QUEUE = "bench-noop"

/**
 * pg-boss: `batchSize` jobs per `fetch`, `complete` of the whole batch, `fetchers` loops at
 * once. Its `work()` does the same fetch/complete per batch but then waits out its polling
 * interval (at least 0.5 s) even after a full batch, so a loop of its own, which fetches again
 * at once, is the faster use. Every fetch goes through a timed `db` adapter.
 */
export const pgBoss = (url: string, jobs: number) =>
  Effect.promise(async (): Promise<PeerDrain> => {
    const pool = new Pg.Pool({ connectionString: url, max: settings.pgBoss.pool })
    const latencies: Array<number> = []
    let timing = false
    const db = {
      executeSql: async (text: string, values: Array<unknown>) => {
        const start = performance.now()
        const result = await pool.query(text, values)
        if (timing && text.includes("SKIP LOCKED")) latencies.push(performance.now() - start)
        return result
      }
    }
    const boss = new PgBoss({ db, schema: "pgboss", supervise: false, schedule: false })
    boss.on("error", (error) => console.error("pg-boss:", error.message))
    await boss.start()
    await boss.createQueue(QUEUE)
    await boss.insert(Array.from({ length: jobs }, () => ({ name: QUEUE, data: {} })))
    timing = true
    const start = performance.now()
    let done = 0
    await Promise.all(Array.from({ length: settings.pgBoss.fetchers }, async () => {
      while (true) {
        const batch = await boss.fetch(QUEUE, { batchSize: settings.pgBoss.batchSize })
        if (batch.length === 0) return
        await boss.complete(QUEUE, batch.map((job) => job.id))
        done += batch.length
      }
    }))
    const seconds = (performance.now() - start) / 1000
    await boss.stop({ graceful: false, wait: true })
    await pool.end()
    return { jobs: done, seconds, latencies }
  })

/**
 * graphile-worker: its runner with `concurrency` workers on a pool larger than that, a no-op
 * task. A take is timed from a worker's `getJob:start` to its job starting (or finding none).
 */
export const graphileWorker = (url: string, jobs: number) =>
  Effect.promise(async (): Promise<PeerDrain> => {
    const pool = new Pg.Pool({ connectionString: url, max: settings.graphile.pool })
    const events = new EventEmitter()
    const options = {
      events,
      pgPool: pool,
      schema: "graphile_worker",
      concurrency: settings.graphile.concurrency,
      pollInterval: settings.graphile.pollInterval,
      noHandleSignals: true,
      logger: new Logger(() => () => {}),
      taskList: { noop: async () => {} }
    }
    await runMigrations(options)
    await pool.query(`SELECT graphile_worker.add_job('noop', '{}'::json) FROM generate_series(1, $1)`, [jobs])
    const latencies: Array<number> = []
    const taking = new Map<unknown, number>()
    let done = 0
    let drained!: () => void
    const finished = new Promise<void>((resolve) => (drained = resolve))
    const took = ({ worker }: { worker: unknown }) => {
      const since = taking.get(worker)
      if (since !== undefined) latencies.push(performance.now() - since)
    }
    events.on("worker:getJob:start", ({ worker }) => taking.set(worker, performance.now()))
    events.on("job:start", took)
    events.on("worker:getJob:empty", took)
    events.on("job:complete", () => {
      if (++done === jobs) drained()
    })
    const start = performance.now()
    const runner = await runGraphile(options)
    await finished
    const seconds = (performance.now() - start) / 1000
    await runner.stop()
    await pool.end()
    return { jobs: done, seconds, latencies }
  })
