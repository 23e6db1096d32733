import { SqlClient, SqlSchema } from "@effect/sql"
import { Array as Arr, Clock, Effect, Order, Schema } from "effect"
import { ClaimRequest, type RenewalJob, StaleRecovery } from "../../domain/index.js"
import { orDie } from "../sql/boundary.js"
import { held, reader } from "../sql/held.js"
import * as Quarantine from "../sql/quarantine.js"
import { RawRow } from "../sql/salvage.js"

const dueOrder = Order.combine(
  Order.mapInput(Order.number, (job: RenewalJob) => job.next_attempt_at ?? 0),
  Order.mapInput(Order.string, (job: RenewalJob) => job.job_id)
)

// RETURNING gives no order; recovered jobs are logged in id order.
const byId = Order.mapInput(Order.string, (job: RenewalJob) => job.job_id)

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const read = yield* reader
  const quarantine = yield* Quarantine.make

  /**
   * One statement, so two dispatchers on one file can never take the same job. The inner scan
   * walks the pending index in due order and stops at `limit`; each candidate is checked with
   * two index probes: its conversation has no running job, and no earlier pending job (so one
   * job per conversation per claim, the oldest).
   */
  const claimRows = SqlSchema.findAll({
    Request: Schema.Struct({ ...ClaimRequest.fields, stamped_at: Schema.Number }),
    Result: RawRow,
    execute: (r) =>
      held(sql`UPDATE renewal_jobs
          SET status = 'running', claimed_by_node = ${r.node_id}, claimed_run = ${r.run_id},
              claimed_at = ${r.now}, updated_at = ${r.stamped_at}
          WHERE job_id IN (
            SELECT j.job_id FROM renewal_jobs AS j INDEXED BY renewal_jobs_pending_due
            WHERE j.status = 'pending' AND j.next_attempt_at <= ${r.now}
              AND NOT EXISTS (
                SELECT 1 FROM renewal_jobs AS busy INDEXED BY renewal_jobs_conversation_status
                WHERE busy.local_conversation_id = j.local_conversation_id AND busy.status = 'running')
              AND NOT EXISTS (
                SELECT 1 FROM renewal_jobs AS earlier INDEXED BY renewal_jobs_conversation_status
                WHERE earlier.local_conversation_id = j.local_conversation_id AND earlier.status = 'pending'
                  AND (earlier.next_attempt_at < j.next_attempt_at
                    OR (earlier.next_attempt_at = j.next_attempt_at AND earlier.job_id < j.job_id)))
            ORDER BY j.next_attempt_at, j.job_id
            LIMIT ${r.limit})
          RETURNING *`)
  })

  /**
   * Stale recovery as one statement: the status and staleness test and the write are one
   * `UPDATE`, so two dispatchers recovering at once never both take a job. The lost attempt
   * counts; a job whose attempts are then spent fails, any other is due at once. Only running
   * jobs are in the partial index, so this reads the jobs in flight and no more.
   */
  const recoverRows = SqlSchema.findAll({
    Request: Schema.Struct({ ...StaleRecovery.fields, stamped_at: Schema.Number }),
    Result: RawRow,
    execute: (q) => {
      const spent = sql`attempt_count + 1 >= max_attempts`
      return sql`UPDATE renewal_jobs INDEXED BY renewal_jobs_running_claimed
          SET status = CASE WHEN ${spent} THEN 'failed' ELSE 'pending' END,
              attempt_count = attempt_count + 1,
              last_error = ${q.last_error},
              next_attempt_at = CASE WHEN ${spent} THEN NULL ELSE ${q.now} END,
              finished_at = CASE WHEN ${spent} THEN ${q.now} ELSE finished_at END,
              log_path = COALESCE(log_path, ${q.log_path}),
              updated_at = ${q.stamped_at}
          WHERE status = 'running'
            AND ((claimed_by_node = ${q.node_id} AND claimed_run <> ${q.run_id})
              OR claimed_at < ${q.claimed_before}
              OR claimed_at IS NULL)
          RETURNING *`
    }
  })

  const nextDueRow = SqlSchema.findAll({
    Request: Schema.Number,
    Result: Schema.Struct({ at: Schema.NullOr(Schema.Number) }),
    execute: (now) =>
      read(sql`SELECT MIN(next_attempt_at) AS at FROM renewal_jobs INDEXED BY renewal_jobs_pending_due
          WHERE status = 'pending' AND next_attempt_at > ${now}`)
  })

  const nextDueAfter = (now: number) => nextDueRow(now).pipe(Effect.map((rows) => rows[0]?.at ?? null), orDie)

  const claim = (request: ClaimRequest) =>
    request.limit <= 0
      ? Effect.succeed<ReadonlyArray<RenewalJob>>([])
      : Clock.currentTimeMillis.pipe(
        Effect.flatMap((stamped_at) =>
          Effect.flatMap(claimRows({ ...request, stamped_at }), (rows) => quarantine.settle(rows, stamped_at))
        ),
        Effect.map(Arr.sort(dueOrder)),
        orDie
      )

  const recover = (request: StaleRecovery) =>
    Clock.currentTimeMillis.pipe(
      Effect.flatMap((stamped_at) =>
        Effect.flatMap(recoverRows({ ...request, stamped_at }), (rows) => quarantine.settle(rows, stamped_at))
      ),
      Effect.map(Arr.sort(byId)),
      orDie
    )

  return { claim, recover, nextDueAfter } as const
})
