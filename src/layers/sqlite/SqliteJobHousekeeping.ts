import { SqlClient } from "@effect/sql"
import { Effect, Layer } from "effect"
import { JobStatus } from "../../domain/index.js"
import { JobHousekeeping } from "../../services/JobHousekeeping.js"
import { orDie } from "../sql/boundary.js"

/**
 * `JobHousekeeping` on the store's SQLite connection. Pruning picks its batch through the
 * `(status, created_at)` index: a job finishes after it is created, so `created_at < before`
 * holds for every job to prune and bounds the scan to old history. Rows are deleted by rowid,
 * which spares a lookup in the primary key's index per row.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const countByStatus = orDie(
    sql<{ status: JobStatus; n: number }>`SELECT status, COUNT(*) AS n FROM renewal_jobs GROUP BY status`
  ).pipe(
    Effect.map((rows) => {
      const counts = Object.fromEntries(JobStatus.literals.map((s) => [s, 0])) as Record<JobStatus, number>
      for (const row of rows) counts[row.status] = row.n
      return counts
    }),
    Effect.withSpan("JobHousekeeping.countByStatus")
  )

  const pruneFinished = Effect.fn("JobHousekeeping.pruneFinished")(function*(request: {
    readonly before: number
    readonly limit: number
  }) {
    const deleted = yield* orDie(
      sql<{ job_id: string }>`DELETE FROM renewal_jobs WHERE rowid IN (
        SELECT rowid FROM renewal_jobs
        WHERE status IN ('done', 'failed') AND created_at < ${request.before} AND finished_at < ${request.before}
        ORDER BY created_at LIMIT ${request.limit}
      ) RETURNING job_id`.pipe(sql.withTransaction)
    )
    return deleted.length
  })

  return JobHousekeeping.of({ countByStatus, pruneFinished })
})

export const layer: Layer.Layer<JobHousekeeping, never, SqlClient.SqlClient> = Layer.effect(JobHousekeeping, make)
