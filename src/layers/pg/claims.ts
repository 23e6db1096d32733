import { SqlClient, SqlSchema } from "@effect/sql"
import { SqlError } from "@effect/sql/SqlError"
import { Array as Arr, Clock, Effect, Order, Schema } from "effect"
import { ClaimRequest, type RenewalJob, StaleRecovery } from "../../domain/index.js"
import { orDie } from "../sql/boundary.js"
import * as Quarantine from "../sql/quarantine.js"
import { RawRow } from "../sql/salvage.js"

const dueOrder = Order.combine(
  Order.mapInput(Order.number, (job: RenewalJob) => job.next_attempt_at ?? 0),
  Order.mapInput(Order.string, (job: RenewalJob) => job.job_id)
)

// RETURNING gives no order; recovered jobs are logged in id order.
const byId = Order.mapInput(Order.string, (job: RenewalJob) => job.job_id)

/** `renewal_jobs_one_running` refused the claim: another node's claim of that conversation won. */
const lostRace = (error: unknown): boolean =>
  error instanceof SqlError && (error.cause as { readonly code?: unknown } | undefined)?.code === "23505"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const quarantine = yield* Quarantine.make

  /**
   * One statement. The candidates are the due pending jobs in due order that are their
   * conversation's oldest pending job and whose conversation has nothing running; `FOR UPDATE
   * SKIP LOCKED` makes claimers on other nodes pass over rows one of them is taking instead of
   * waiting, so each job goes to one claimer. While one node holds a conversation's oldest job,
   * its later jobs are not candidates anywhere (the oldest still reads as pending), and the
   * unique index on running jobs refuses whatever slipped past that. Routing by presence: a job
   * whose conversation's active link belongs to a client another daemon holds (lease unexpired)
   * is left to that daemon, which can deliver it.
   */
  const claimRows = SqlSchema.findAll({
    Request: Schema.Struct({ ...ClaimRequest.fields, stamped_at: Schema.Number }),
    Result: RawRow,
    execute: (r) =>
      sql`WITH candidates AS (
            SELECT j.job_id FROM renewal_jobs AS j
            WHERE j.status = 'pending' AND j.next_attempt_at <= ${r.now}
              AND NOT EXISTS (
                SELECT 1 FROM renewal_jobs AS busy
                WHERE busy.local_conversation_id = j.local_conversation_id AND busy.status = 'running')
              AND NOT EXISTS (
                SELECT 1 FROM renewal_jobs AS earlier
                WHERE earlier.local_conversation_id = j.local_conversation_id AND earlier.status = 'pending'
                  AND (earlier.next_attempt_at < j.next_attempt_at
                    OR (earlier.next_attempt_at = j.next_attempt_at AND earlier.job_id < j.job_id)))
              AND NOT EXISTS (
                SELECT 1 FROM conversation_links AS link
                JOIN bridge_presence AS held ON held.client_id = link.client_id
                WHERE link.local_conversation_id = j.local_conversation_id AND link.is_active = 1
                  AND held.node_id <> ${r.node_id} AND held.lease_until > ${r.now})
            ORDER BY j.next_attempt_at, j.job_id
            LIMIT ${r.limit}
            FOR UPDATE OF j SKIP LOCKED)
          UPDATE renewal_jobs AS t
          SET status = 'running', claimed_by_node = ${r.node_id}, claimed_run = ${r.run_id},
              claimed_at = ${r.now}, updated_at = ${r.stamped_at}
          FROM candidates WHERE t.job_id = candidates.job_id AND t.status = 'pending'
          RETURNING t.*`
  })

  /**
   * Stale recovery as one statement: a second node recovering at once waits on the row lock,
   * then finds the job no longer running and skips it, so the shares are disjoint. The lost
   * attempt counts; a job whose attempts are then spent fails, any other is due at once.
   */
  const recoverRows = SqlSchema.findAll({
    Request: Schema.Struct({ ...StaleRecovery.fields, stamped_at: Schema.Number }),
    Result: RawRow,
    execute: (q) => {
      const spent = sql`attempt_count + 1 >= max_attempts`
      return sql`UPDATE renewal_jobs
          SET status = CASE WHEN ${spent} THEN 'failed' ELSE 'pending' END,
              attempt_count = attempt_count + 1,
              last_error = ${q.last_error},
              next_attempt_at = CASE WHEN ${spent} THEN NULL ELSE ${q.now}::bigint END,
              finished_at = CASE WHEN ${spent} THEN ${q.now}::bigint ELSE finished_at END,
              log_path = COALESCE(log_path, ${q.log_path}::text),
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
      sql`SELECT MIN(next_attempt_at) AS at FROM renewal_jobs WHERE status = 'pending' AND next_attempt_at > ${now}`
  })

  const nextDueAfter = (now: number) => nextDueRow(now).pipe(Effect.map((rows) => rows[0]?.at ?? null), orDie)

  // A claim refused by the unique index claims nothing this time; the next tick tries again.
  const claim = (request: ClaimRequest) =>
    request.limit <= 0
      ? Effect.succeed<ReadonlyArray<RenewalJob>>([])
      : Clock.currentTimeMillis.pipe(
        Effect.flatMap((stamped_at) =>
          claimRows({ ...request, stamped_at }).pipe(
            Effect.catchIf(lostRace, () => Effect.succeed<ReadonlyArray<RawRow>>([])),
            Effect.flatMap((rows) => quarantine.settle(rows, stamped_at))
          )
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
