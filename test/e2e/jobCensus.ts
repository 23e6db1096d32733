import { Effect } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { DaemonProcess } from "../support/daemon.js"
import { query } from "./daemonCluster.js"

export interface JobRow {
  readonly job_id: string
  readonly message_id: string
  readonly status: string
  readonly attempt_count: number
  readonly last_error: string | null
  readonly claimed_by_node: string | null
}

/** Every job in the shared database. */
export const allJobs = (database: string) =>
  query<JobRow>(
    database,
    "SELECT job_id, message_id, status, attempt_count, last_error, claimed_by_node FROM renewal_jobs"
  )

/** How many jobs are in each status, e.g. `{ done: 998, running: 2 }`. */
export const statusCounts = (database: string) =>
  Effect.map(
    query<{ status: string; n: string }>(database, "SELECT status, count(*) AS n FROM renewal_jobs GROUP BY status"),
    (rows) => Object.fromEntries(rows.map((r) => [r.status, Number(r.n)])) as Record<string, number>
  )

/** The node each browser client's presence row names. */
export const presence = (database: string) =>
  Effect.map(
    query<{ client_id: string; node_id: string }>(database, "SELECT client_id, node_id FROM bridge_presence"),
    (rows) => Object.fromEntries(rows.map((r) => [r.client_id, r.node_id])) as Record<string, string>
  )

/** Every line of the daemon's timed-jobs JSONL logs, parsed. */
export const timedJobLines = (daemon: DaemonProcess): ReadonlyArray<Record<string, any>> => {
  const dir = join(daemon.stateDir, "logs", "timed-jobs")
  return readdirSync(dir).flatMap((file) =>
    readFileSync(join(dir, file), "utf8").split("\n").filter((line) => line !== "").map((line) => JSON.parse(line))
  )
}

/** Messages the projector has not turned into a job (undecided, or skipped), with their `seq`. */
export const unprojected = (database: string) =>
  query<{ seq: string; id: string; decision: string; skip_reason: string | null }>(
    database,
    "SELECT seq, id, decision, skip_reason FROM messages WHERE decision <> 'job_created' ORDER BY seq"
  )

/** The projector's cursor: the last `seq` it committed. */
export const projectorCursor = (database: string) =>
  Effect.map(
    query<{ value: string }>(database, "SELECT value FROM store_state WHERE key = 'projector.cursor'"),
    (rows) => Number(rows[0]?.value ?? 0)
  )

/**
 * Where a run stands: jobs by status, and the messages not projected yet with the cursor. The
 * cursor is read first: a projection commits its jobs and its cursor together, so a message
 * still without a job afterwards, at or below that cursor, was truly passed over. Read the other
 * way round, a projection committing between the two reads made a message in flight look lost.
 */
export const progress = (database: string) =>
  Effect.all({
    cursor: projectorCursor(database),
    unprojected: Effect.map(unprojected(database), (rows) => rows.map((r) => Number(r.seq))),
    jobs: statusCounts(database)
  })
