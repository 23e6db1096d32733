import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Schema } from "effect"
import { MessageFilter, MessageId, MessageRecord, ProjectionDecision } from "../../domain/index.js"
import { orDie } from "./boundary.js"
import { held } from "./held.js"

/** Messages with their conversation and the projector's decision: the message list and its writes. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  // The conversation is joined, not copied: a message reported before its conversation existed
  // still shows it, and the filter on it reads that conversation's messages by index.
  const select = sql.literal(`SELECT m.id AS message_id, m.platform, m.conversation_id, c.local_conversation_id,
      m.role, m.raw_text, m.observed_at, m.seq, m.decision, m.skip_reason, m.job_id, m.decided_at
    FROM messages m LEFT JOIN local_conversations c
      ON c.platform = m.platform AND c.remote_conversation_id = m.conversation_id`)

  const where = (f: typeof MessageFilter.Encoded) =>
    sql.and([
      ...(f.platform === undefined ? [] : [sql`m.platform = ${f.platform}`]),
      ...(f.decision === undefined ? [] : [sql`m.decision = ${f.decision}`]),
      ...(f.local_conversation_id === undefined ? [] : [sql`c.local_conversation_id = ${f.local_conversation_id}`])
    ])

  const list = SqlSchema.findAll({
    Request: MessageFilter,
    Result: MessageRecord,
    execute: (f) => held(sql`${select} WHERE ${where(f)} ORDER BY m.seq DESC LIMIT ${f.limit} OFFSET ${f.offset}`)
  })

  const count = SqlSchema.single({
    Request: MessageFilter,
    Result: Schema.Struct({ total: Schema.Int }),
    execute: (f) =>
      held(sql`SELECT COUNT(*) AS total FROM messages m LEFT JOIN local_conversations c
            ON c.platform = m.platform AND c.remote_conversation_id = m.conversation_id
          WHERE ${where(f)}`)
  })

  const byId = SqlSchema.findOne({
    Request: MessageId,
    Result: MessageRecord,
    execute: (id) => held(sql`${select} WHERE m.id = ${id}`)
  })

  const decideRow = SqlSchema.void({
    Request: ProjectionDecision,
    execute: (d) =>
      held(sql`UPDATE messages
          SET decision = ${d.decision}, skip_reason = ${d.skip_reason}, job_id = ${d.job_id}, decided_at = ${d.decided_at}
          WHERE id = ${d.message_id}`)
  })

  return {
    list: (filter: MessageFilter) => orDie(list(filter)),
    count: (filter: MessageFilter) => orDie(Effect.map(count(filter), (row) => row.total)),
    get: (id: MessageId) => orDie(byId(id)),
    /** Not wrapped in a transaction: the projection's commit brings its own. */
    decide: (decisions: ReadonlyArray<ProjectionDecision>) => Effect.forEach(decisions, decideRow, { discard: true })
  } as const
})
