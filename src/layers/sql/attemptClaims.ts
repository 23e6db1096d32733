import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect, Option } from "effect"
import {
  type AttemptClaimRequest,
  type ClaimRequest,
  type ConversationLink,
  isQuarantined,
  LocalConversation,
  type RenewalJob,
  RouteParams,
  TargetPayload,
  TargetSnapshot,
  targetSnapshotOf
} from "../../domain/index.js"
import type { ClaimedAttempt } from "../../services/ArtifactStore.js"
import { orDie } from "./boundary.js"
import { held } from "./held.js"
import { booleanColumn, jsonColumn, rowReader } from "./rowReader.js"
import { LinkRow } from "./rows.js"

// A batch's conversations and links, read by compiled checks: the schema's generic decode of
// them was a fifth of what a claimed job cost.
const conversationReader = rowReader(LocalConversation)
const linkReader = rowReader(LinkRow, {
  route_params: jsonColumn(RouteParams),
  target_payload: jsonColumn(TargetPayload),
  is_active: booleanColumn
})

/** The job as the attempt write leaves it. */
const started = (job: RenewalJob, request: AttemptClaimRequest, link: ConversationLink | undefined): RenewalJob => ({
  ...job,
  started_at: request.now,
  last_attempt_at: request.now,
  next_attempt_at: null,
  finished_at: null,
  log_path: job.log_path ?? request.log_path,
  target_snapshot: link === undefined ? job.target_snapshot : targetSnapshotOf(link)
})

/**
 * A snapshot's JSON column text. `TargetSnapshot` transforms nothing and `targetSnapshotOf`
 * builds its keys in the schema's order from a decoded link, so this is the text the schema's
 * encode gives, without its cost per job.
 */
const encodeSnapshot = (snapshot: TargetSnapshot) => JSON.stringify(snapshot)

/**
 * The dispatcher's claim for both stores: the batch is claimed, its conversations and active
 * links read with one statement each, and each job's attempt started (`started_at`,
 * `last_attempt_at`, `target_snapshot` from its active link, `log_path`) with one more, so a
 * batch costs four statements whatever its size instead of four per job. `transact` wraps them
 * in one transaction where the store can (SQLite); the attempt write holds only while the job is
 * still running under this claim, so it is correct on its own too.
 */
export const make = (
  claim: (request: ClaimRequest) => Effect.Effect<ReadonlyArray<RenewalJob>>,
  transact: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const conversationRows = (ids: ReadonlyArray<string>) =>
      Effect.flatMap(
        held(sql`SELECT * FROM local_conversations WHERE local_conversation_id IN ${sql.in(ids)}`),
        conversationReader.decodeAll
      )

    const linkRows = (ids: ReadonlyArray<string>) =>
      Effect.flatMap(
        held(sql`SELECT * FROM conversation_links WHERE local_conversation_id IN ${sql.in(ids)} AND is_active = 1`),
        linkReader.decodeAll
      )

    const startAttempts = (
      request: AttemptClaimRequest,
      jobs: ReadonlyArray<RenewalJob>,
      links: ReadonlyMap<string, ConversationLink>
    ) => {
      const snapshots = jobs.flatMap((job) => {
        const link = links.get(job.local_conversation_id)
        return link === undefined
          ? []
          : [sql`WHEN ${job.job_id} THEN CAST(${encodeSnapshot(targetSnapshotOf(link))} AS TEXT)`]
      })
      const snapshot = snapshots.length === 0
        ? sql`target_snapshot`
        : sql`CASE job_id ${sql.join(" ", false)(snapshots)} ELSE target_snapshot END`
      return held(sql`UPDATE renewal_jobs
          SET started_at = ${request.now}, last_attempt_at = ${request.now}, next_attempt_at = NULL,
              finished_at = NULL, log_path = COALESCE(log_path, CAST(${request.log_path} AS TEXT)),
              target_snapshot = ${snapshot}
          WHERE job_id IN ${sql.in(jobs.map((job) => job.job_id))} AND status = 'running'
            AND claimed_by_node = ${request.node_id} AND claimed_run = ${request.run_id}
            AND claimed_at = ${request.now}`)
    }

    const claimAttempts = (request: AttemptClaimRequest) =>
      transact(Effect.gen(function*() {
        const claimed = yield* claim(request)
        const live = claimed.filter((job) => !isQuarantined(job))
        const ids = [...new Set(live.map((job) => job.local_conversation_id))]
        const conversations = new Map(
          (ids.length === 0 ? [] : yield* conversationRows(ids)).map((c) => [c.local_conversation_id, c])
        )
        // The newest active link, as `activeLink` picks it.
        const links = new Map<string, ConversationLink>()
        for (const link of ids.length === 0 ? [] : yield* linkRows(ids)) {
          const seen = links.get(link.local_conversation_id)
          if (seen === undefined || link.observed_at > seen.observed_at) links.set(link.local_conversation_id, link)
        }
        if (live.length > 0) yield* startAttempts(request, live, links)
        return claimed.map((job): ClaimedAttempt => {
          const link = links.get(job.local_conversation_id)
          return {
            job: isQuarantined(job) ? job : started(job, request, link),
            previous: {
              started_at: job.started_at,
              last_attempt_at: job.last_attempt_at,
              finished_at: job.finished_at
            },
            conversation: Option.fromNullable(conversations.get(job.local_conversation_id)),
            link: Option.fromNullable(link)
          }
        })
      })).pipe(orDie)

    return { claimAttempts } as const
  })
