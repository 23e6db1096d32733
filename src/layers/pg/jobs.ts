import { SqlClient, SqlSchema } from "@effect/sql"
import { Clock, Effect, Either, Option } from "effect"
import {
  InvalidStoreInput,
  JobAlreadyExists,
  JobFilter,
  JobId,
  MessageId,
  NewJob,
  newJobId,
  type RenewalJob,
  type StoredJob
} from "../../domain/index.js"
import { orDie, validate } from "../sql/boundary.js"
import { countOf, pageOf, whereEquals } from "../sql/pages.js"
import { makeRequireConversation } from "../sql/references.js"
import { Exists, JobRow } from "../sql/rows.js"
import { RawRow, readJobs } from "../sql/salvage.js"
import { isStoredPage } from "../sql/storedPage.js"

/**
 * The SQLite module's statements without its index hints: PostgreSQL's planner picks the
 * index that serves each filter in list order by itself.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // Any conflict inserts nothing; the caller then finds out which one it was.
  const insertRow = SqlSchema.findAll({
    Request: JobRow,
    Result: JobRow,
    execute: (row) => sql`INSERT INTO renewal_jobs ${sql.insert(row)} ON CONFLICT DO NOTHING RETURNING *`
  })

  const requireConversation = yield* makeRequireConversation

  const messageHasJob = SqlSchema.findOne({
    Request: MessageId,
    Result: Exists,
    execute: (id) => sql`SELECT 1 AS found FROM renewal_jobs WHERE message_id = ${id}`
  })

  // Reads show a row that no longer decodes as far as it can be read, instead of failing.
  const byId = SqlSchema.findOne({
    Request: JobId,
    Result: RawRow,
    execute: (id) => sql`SELECT * FROM renewal_jobs WHERE job_id = ${id}`
  })

  const whereOf = (f: typeof JobFilter.Encoded) =>
    whereEquals(sql, { status: f.status, local_conversation_id: f.local_conversation_id, message_id: f.message_id })

  const page = (f: typeof JobFilter.Encoded) =>
    pageOf(sql, { table: "renewal_jobs", id: "job_id", orderBy: "created_at" }, "", whereOf(f), f)

  const list = SqlSchema.findAll({ Request: JobFilter, Result: RawRow, execute: page })

  /** A page as stored, for the list's fast path; a page with a corrupt row comes back salvaged. */
  const listStored = (filter: JobFilter) =>
    page(filter).pipe(
      Effect.map((rows): Either.Either<ReadonlyArray<StoredJob>, ReadonlyArray<RenewalJob>> =>
        isStoredPage(rows)
          ? Either.right(rows as ReadonlyArray<StoredJob>) // brands and ranges as the store wrote them
          : Either.left(readJobs(rows as ReadonlyArray<RawRow>))
      ),
      orDie
    )

  /** Not wrapped in a transaction: callers that batch jobs (projection) bring their own. */
  const insert = (input: NewJob) =>
    Effect.gen(function*() {
      const job = yield* validate(NewJob)(input)
      yield* requireConversation(job.local_conversation_id)
      const now = yield* Clock.currentTimeMillis
      const [inserted] = yield* insertRow({
        job_id: job.job_id ?? (yield* newJobId),
        local_conversation_id: job.local_conversation_id,
        message_id: job.message_id,
        status: "pending",
        payload_kind: job.payload_kind,
        payload: job.payload,
        target_snapshot: job.target_snapshot,
        attempt_count: 0,
        max_attempts: job.max_attempts,
        next_attempt_at: job.next_attempt_at,
        last_attempt_at: null,
        last_error: null,
        log_path: null,
        started_at: null,
        finished_at: null,
        created_at: now,
        updated_at: now
      })
      if (inserted !== undefined) return inserted
      if (Option.isSome(yield* messageHasJob(job.message_id))) {
        return yield* new JobAlreadyExists({ message_id: job.message_id })
      }
      return yield* new InvalidStoreInput({ field: "job_id", message: "already names another job" })
    }).pipe(orDie)

  return {
    insert,
    get: (id: JobId) => orDie(Effect.map(byId(id), Option.map((row) => readJobs([row])[0]!))),
    list: (filter: JobFilter) => orDie(Effect.map(list(filter), readJobs)),
    listStored,
    count: (filter: JobFilter) => orDie(countOf(sql, "renewal_jobs", "", whereOf(filter)))
  } as const
})
