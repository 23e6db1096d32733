import { SqlClient } from "@effect/sql"
import { Array as Arr, Effect, Either } from "effect"
import { CORRUPT_RECORD, type RenewalJob } from "../../domain/index.js"
import { type RawRow, readJob } from "./salvage.js"

/**
 * Jobs the dispatcher took (claimed or recovered) as raw rows. A row that does not decode is
 * failed with `corrupt_record` on the spot, so it is never claimed again and the rest of the
 * batch goes on; it comes back failed, as far as it could be read, and the reason is logged.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const quarantine = (job: RenewalJob, issues: string, now: number) =>
    sql`UPDATE renewal_jobs
        SET status = 'failed', last_error = ${CORRUPT_RECORD}, next_attempt_at = NULL,
            finished_at = ${now}, updated_at = ${now}
        WHERE job_id = ${job.job_id} AND status <> 'done'`.pipe(
      Effect.zipRight(
        Effect.logWarning("ArtifactStore.quarantineJob").pipe(
          Effect.annotateLogs({ job_id: job.job_id, last_error: CORRUPT_RECORD, issues })
        )
      ),
      Effect.as<RenewalJob>({ ...job, status: "failed", next_attempt_at: null, finished_at: now, updated_at: now })
    )

  // The usual batch decodes with no Effect work per row; only unreadable rows cost a statement.
  const settle = (rows: ReadonlyArray<RawRow>, now: number) => {
    const read = rows.map(readJob)
    if (read.every(Either.isRight)) return Effect.succeed(read.map((r) => r.right))
    return Effect.forEach(read, (r) =>
      Either.match(r, {
        onRight: Effect.succeed,
        onLeft: (corrupt) => quarantine(corrupt.job, corrupt.issues, now)
      }))
  }

  return { settle: (rows: ReadonlyArray<RawRow>, now: number) => Effect.map(settle(rows, now), Arr.fromIterable) }
})
