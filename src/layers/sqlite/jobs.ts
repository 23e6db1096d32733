import { SqlClient, SqlSchema, type Statement } from "@effect/sql"
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
import { held, reader } from "../sql/held.js"
import { countOf, pageOf, whereEquals } from "../sql/pages.js"
import { makeRequireConversation } from "../sql/references.js"
import { Exists, JobRow } from "../sql/rows.js"
import { RawRow, readJobs } from "../sql/salvage.js"
import { isCheckedStoredPage, SNAPSHOT_VALID } from "../sql/storedPage.js"

/** The index that serves a filter in list order, so a page reads about `offset + limit` rows. */
const indexFor = (
  f: { readonly [K in "status" | "local_conversation_id" | "message_id"]?: string | undefined }
): string =>
  f.message_id !== undefined
    ? "" // unique: at most one row, the planner's own choice is best
    : f.local_conversation_id !== undefined
    ? "INDEXED BY renewal_jobs_conversation_created"
    : f.status !== undefined
    ? "INDEXED BY renewal_jobs_status_created"
    : "INDEXED BY renewal_jobs_created"

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const read = yield* reader

  // Any conflict inserts nothing; the caller then finds out which one it was.
  const insertRow = SqlSchema.findAll({
    Request: JobRow,
    Result: JobRow,
    execute: (row) => held(sql`INSERT INTO renewal_jobs ${sql.insert(row)} ON CONFLICT DO NOTHING RETURNING *`)
  })

  const requireConversation = yield* makeRequireConversation

  const messageHasJob = SqlSchema.findOne({
    Request: MessageId,
    Result: Exists,
    execute: (id) => read(sql`SELECT 1 AS found FROM renewal_jobs WHERE message_id = ${id}`)
  })

  // Reads show a row that no longer decodes as far as it can be read, instead of failing.
  const byId = SqlSchema.findOne({
    Request: JobId,
    Result: RawRow,
    execute: (id) => read(sql`SELECT * FROM renewal_jobs WHERE job_id = ${id}`)
  })

  // Kept by triggers (migration 0005): a status, or every job, without scanning an index.
  const countByStatus = (status: string | undefined) =>
    Effect.map(
      sql<{ readonly total: number }>`SELECT COALESCE(SUM(n), 0) AS total FROM renewal_job_counts
        WHERE ${status === undefined ? sql.literal("1") : sql`status = ${status}`}`,
      (rows) => rows[0]?.total ?? 0
    )

  const whereOf = (f: typeof JobFilter.Encoded) =>
    whereEquals(sql, { status: f.status, local_conversation_id: f.local_conversation_id, message_id: f.message_id })

  const page = (f: typeof JobFilter.Encoded, columns?: Statement.Fragment) =>
    pageOf(sql, { table: "renewal_jobs", id: "job_id", orderBy: "created_at" }, indexFor(f), whereOf(f), f, columns)

  // SQLite checks the snapshots the fast path sends as stored (JSON.parse of each cost more).
  const checkedColumns = sql.literal(`*, json_valid(target_snapshot) AS ${SNAPSHOT_VALID}`)

  const list = SqlSchema.findAll({ Request: JobFilter, Result: RawRow, execute: page })

  /**
   * A page as stored, for the list's fast path; a page holding a row that no longer has the
   * columns' types (hand-edited, corrupt) comes back salvaged, as far as it can be read.
   */
  const listStored = (filter: JobFilter) =>
    page(filter, checkedColumns).pipe(
      Effect.map((rows): Either.Either<ReadonlyArray<StoredJob>, ReadonlyArray<RenewalJob>> =>
        isCheckedStoredPage(rows)
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
    count: (filter: JobFilter) =>
      orDie(
        filter.local_conversation_id === undefined && filter.message_id === undefined
          ? countByStatus(filter.status)
          : countOf(sql, "renewal_jobs", indexFor(filter), whereOf(filter), read)
      )
  } as const
})
