import { FileSystem, Path } from "@effect/platform"
import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import * as SqliteArtifactStore from "../src/layers/sqlite/SqliteArtifactStore.js"
import * as BenchClient from "./benchClient.js"
import { api, PACING_OFF, TOKEN, wsUrl } from "./daemonRun.js"
import { spawnDaemon } from "./processes.js"
import * as Seed from "./seed.js"

interface Db {
  prepare(sql: string): { get(): unknown }
  close(): void
}
const Database = createRequire(import.meta.url)("better-sqlite3") as new(
  file: string,
  options: { readonly readonly: boolean }
) => Db

/** The seeded links point at these clients (`bench/seed.ts`: `client-<i % 5>`). */
const CLIENTS = 5
/** Seeded jobs wait until the drain starts: far enough that no tick finds them due before. */
const LATER = 4_000_000_000_000

/**
 * `jobs` pending jobs in as many `auto` conversations, written into a fresh state directory
 * before the daemon starts (so neither the seeding's time nor its memory is the daemon's).
 */
const seed = (stateDir: string, jobs: number) =>
  Effect.gen(function*() {
    yield* Seed.conversations(jobs)
    yield* Seed.dueJobs(jobs)
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE local_conversations SET automation_status = 'auto', paused_at = NULL`
    yield* sql`UPDATE renewal_jobs SET next_attempt_at = ${LATER} WHERE status = 'pending'`
  }).pipe(Effect.provide(Layer.orDie(SqliteArtifactStore.layer({ filename: `${stateDir}/conductor.db` }))))

const statusKb = (pid: number, field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? Number.NaN)

export interface Drain {
  readonly jobs_per_s: number
  readonly ms: number
  /** The daemon process's peak resident set (VmHWM), MiB. */
  readonly peak_rss_mb: number
  /** Its resident set once drained (VmRSS), MiB. */
  readonly rss_mb: number
}

/**
 * The built daemon drains `jobs` due jobs through five real WebSocket clients that answer every
 * delivery at once. The jobs are seeded before it starts, due later; once the clients are
 * connected, `system pause` + `resume` makes every waiting job due at once (as an operator's
 * resume does) and the clock starts. It stops when the last job is `done` in the database.
 */
export const drain = (dir: string, jobs: number, flags: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const stateDir = yield* fs.makeTempDirectory({ directory: dir })
    yield* seed(stateDir, jobs)
    const daemon = yield* spawnDaemon(stateDir, TOKEN, [...PACING_OFF, ...flags])
    yield* Effect.forEach(Array.from({ length: CLIENTS }, (_, i) => `client-${i}`), (id) =>
      BenchClient.open(wsUrl(daemon), id))
    const db = yield* Effect.acquireRelease(
      Effect.sync(() =>
        new Database(path.join(stateDir, "conductor.db"), { readonly: true })
      ),
      (db) => Effect.sync(() => db.close())
    )
    const done = db.prepare("SELECT COUNT(*) AS n FROM renewal_jobs WHERE status = 'done'")
    yield* api(daemon, "POST", "/v1/system/pause")
    const start = performance.now()
    yield* api(daemon, "POST", "/v1/system/resume")
    while ((done.get() as { n: number }).n < jobs) yield* Effect.sleep("10 millis")
    const ms = performance.now() - start
    return {
      jobs_per_s: (jobs / ms) * 1000,
      ms,
      peak_rss_mb: statusKb(daemon.pid, "VmHWM") / 1024,
      rss_mb: statusKb(daemon.pid, "VmRSS") / 1024
    } satisfies Drain
  }).pipe(Effect.scoped)
