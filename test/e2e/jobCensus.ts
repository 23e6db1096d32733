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
    query<{ status: string; n: string }>(database, "SELECT status || ':' || coalesce(last_error, '-') || ':' || coalesce(claimed_by_node, '-') AS status, count(*) AS n FROM renewal_jobs GROUP BY 1"),
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
