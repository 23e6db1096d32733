import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Clock, Effect, Option, Schema } from "effect"
import type { ParseResult } from "effect"
import {
  DueNowRequest,
  JobClaim,
  JobId,
  type JobPatch,
  JobStatus,
  JobStatusConflict,
  RecordNotFound
} from "../../domain/index.js"
import { orDie, validate } from "./boundary.js"
import * as Dialect from "./dialect.js"
import { encodePatch } from "./jobPatchEncoder.js"
import { JobPatchRow, JobRow } from "./rows.js"

/** Runs a claimed job's write: through group commit in the store, or directly. */
export type Commit = <A, E>(write: Effect.Effect<A, E>) => Effect.Effect<A, E>

/** One outcome under its claim, its patch checked and encoded as stored. */
export interface ClaimedOutcome {
  readonly job_id: JobId
  readonly claim: JobClaim
  readonly patch: typeof JobPatchRow.Encoded
  readonly now: number
}

/** Writes an outcome its own way (PostgreSQL's set-based group commit); the job as written, or none. */
export type WriteClaimed = (
  outcome: ClaimedOutcome
) => Effect.Effect<ReadonlyArray<typeof JobRow.Type>, SqlError | ParseResult.ParseError>

/**
 * The job writes of both stores. An outcome under a claim goes through `commit` (group commit
 * on SQLite) as a compare-and-set statement, unless the store writes it its own way.
 */
export const make = (
  options: {
    readonly dialect?: Dialect.Dialect
    readonly commit?: Commit
    readonly writeClaimed?: WriteClaimed
  } = {}
) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const { commit = (write) => write, dialect = Dialect.sqlite } = options

    // The expected status (and claim) is part of the statement: a claim, a recovery or another
    // dispatcher's write landing between a read and this write makes it match nothing instead of
    // being overwritten.
    const casRow = SqlSchema.findAll({
      Request: Schema.Struct({
        job_id: JobId,
        from: JobStatus,
        claim: Schema.optional(JobClaim),
        patch: JobPatchRow,
        now: Schema.Number
      }),
      Result: JobRow,
      execute: ({ claim, from, job_id, now, patch }) => {
        const set = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined))
        const claimed = claim === undefined
          ? []
          : [
            sql`claimed_by_node = ${claim.node_id}`,
            sql`claimed_run = ${claim.run_id}`,
            sql`claimed_at = ${claim.claimed_at}`
          ]
        return sql`UPDATE renewal_jobs SET ${sql.update({ ...set, updated_at: now })}
                 WHERE ${sql.and([sql`job_id = ${job_id}`, sql`status = ${from}`, ...claimed])} RETURNING *`
      }
    })

    const retryRow = SqlSchema.findAll({
      Request: Schema.Struct({ job_id: JobId, now: Schema.Number, stamped_at: Schema.Number }),
      Result: JobRow,
      execute: ({ job_id, now, stamped_at }) =>
        sql`UPDATE renewal_jobs
          SET status = 'pending', next_attempt_at = ${now}, finished_at = NULL,
              max_attempts = ${dialect.greatest(sql)}(max_attempts, attempt_count + 1), updated_at = ${stamped_at}
          WHERE job_id = ${job_id} AND status = 'failed' RETURNING *`
    })

    const statusOf = SqlSchema.findOne({
      Request: JobId,
      Result: Schema.Struct({ status: JobStatus }),
      execute: (id) => sql`SELECT status FROM renewal_jobs WHERE job_id = ${id}`
    })

    // Both forms walk an index holding pending jobs in due order (all of them, or one
    // conversation's), from `now` on: the cost is the jobs made due, not the history.
    const dueRows = SqlSchema.findAll({
      Request: Schema.Struct({ ...DueNowRequest.fields, stamped_at: Schema.Number }),
      Result: Schema.Struct({ job_id: Schema.String }),
      execute: (r) =>
        r.local_conversation_id === undefined
          ? sql`UPDATE renewal_jobs ${dialect.indexedBy(sql, "renewal_jobs_pending_due")}
              SET next_attempt_at = ${r.now}, updated_at = ${r.stamped_at}
              WHERE status = 'pending' AND next_attempt_at > ${r.now}
              RETURNING job_id`
          : sql`UPDATE renewal_jobs ${dialect.indexedBy(sql, "renewal_jobs_conversation_status")}
              SET next_attempt_at = ${r.now}, updated_at = ${r.stamped_at}
              WHERE local_conversation_id = ${r.local_conversation_id} AND status = 'pending'
                AND next_attempt_at > ${r.now}
              RETURNING job_id`
    })

    /** Read after a miss: the status that won, as of now. */
    const missed = (job_id: JobId, expected: JobStatus) =>
      Effect.flatMap(statusOf(job_id), (current): Effect.Effect<never, RecordNotFound | JobStatusConflict> =>
        Option.isNone(current)
          ? Effect.fail(new RecordNotFound({ resource: "renewal_job", id: job_id }))
          : Effect.fail(new JobStatusConflict({ job_id, expected, actual: current.value.status })))

    const transition = (job_id: JobId, from: JobStatus, patch: JobPatch) =>
      Effect.gen(function*() {
        const valid = yield* validate(JobPatchRow)(patch)
        const now = yield* Clock.currentTimeMillis
        const [moved] = yield* casRow({ job_id, from, patch: valid, now })
        return moved ?? (yield* missed(job_id, from))
      }).pipe(orDie)

    const retryFailed = (job_id: JobId, now: number) =>
      Effect.gen(function*() {
        const stamped_at = yield* Clock.currentTimeMillis
        const [moved] = yield* retryRow({ job_id, now, stamped_at })
        return moved ?? (yield* missed(job_id, "failed"))
      }).pipe(orDie)

    const firstRow = <A>(rows: ReadonlyArray<A>) =>
      Option.fromNullable(rows[0])

    // Every delivered job's outcome comes this way: a few steps, not a generator's.
    const updateClaimed = (job_id: JobId, claim: JobClaim, patch: JobPatch) =>
      Effect.clockWith((clock) => {
        const now = clock.unsafeCurrentTimeMillis()
        const { writeClaimed } = options
        if (writeClaimed !== undefined) {
          return Effect.flatMap(encodePatch(patch), (encoded) =>
            Effect.map(writeClaimed({ job_id, claim, patch: encoded, now }), firstRow))
        }
        return Effect.flatMap(validate(JobPatchRow)(patch), (valid) =>
          Effect.map(commit(casRow({ job_id, claim, patch: valid, now, from: "running" })), firstRow))
      }).pipe(orDie)

    const makeDue = (request: DueNowRequest) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((stamped_at) =>
          dueRows({ ...request, stamped_at })
        ),
        Effect.map((rows) => rows.length),
        orDie
      )

    return { transition, retryFailed, updateClaimed, makeDue } as const
  })
