import { SqlClient, SqlSchema } from "@effect/sql"
import { Clock, Effect, Option, Schema } from "effect"
import {
  type ClientId,
  InvalidStoreInput,
  LinkFilter,
  LinkId,
  LinkInput,
  LocalConversationId
} from "../../domain/index.js"
import { orDie, validate } from "../sql/boundary.js"
import { countOf, pageOf, whereEquals } from "../sql/pages.js"
import { Exists, LinkRow } from "../sql/rows.js"

/**
 * The SQLite module's statements without index hints (PostgreSQL's planner picks the same
 * indexes by itself), JSON read with `->>`, and the conversation row locked before its links
 * change, since PostgreSQL writers, unlike SQLite's, run side by side.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  const deactivateOthers = SqlSchema.void({
    Request: Schema.Struct({ local_conversation_id: LocalConversationId, link_id: LinkId, now: Schema.Number }),
    execute: (r) =>
      sql`UPDATE conversation_links
          SET is_active = 0, updated_at = ${r.now}
          WHERE local_conversation_id = ${r.local_conversation_id} AND is_active = 1 AND link_id <> ${r.link_id}`
  })

  // Two nodes upserting links of one conversation take turns here, so it keeps one active link.
  const lockConversation = SqlSchema.findOne({
    Request: LocalConversationId,
    Result: Exists,
    execute: (id) => sql`SELECT 1 AS found FROM local_conversations WHERE local_conversation_id = ${id} FOR UPDATE`
  })
  const requireConversation = (id: LocalConversationId) =>
    Effect.flatMap(lockConversation(id), (found) =>
      Option.isSome(found)
        ? Effect.void
        : Effect.fail(new InvalidStoreInput({ field: "local_conversation_id", message: "no such conversation" })))

  // A link observed again keeps its `created_at` and takes every other observed field.
  const upsertRow = SqlSchema.single({
    Request: LinkRow,
    Result: LinkRow,
    execute: (row) =>
      sql`INSERT INTO conversation_links ${sql.insert(row)}
          ON CONFLICT (link_id) DO UPDATE SET
            local_conversation_id = excluded.local_conversation_id,
            page_url = excluded.page_url,
            page_title = excluded.page_title,
            route_path = excluded.route_path,
            route_pattern = excluded.route_pattern,
            route_params = excluded.route_params,
            target_kind = excluded.target_kind,
            target_id = excluded.target_id,
            target_payload = excluded.target_payload,
            is_active = 1,
            observed_at = excluded.observed_at,
            updated_at = excluded.updated_at
          RETURNING *`
  })

  const byId = SqlSchema.findOne({
    Request: LinkId,
    Result: LinkRow,
    execute: (id) => sql`SELECT * FROM conversation_links WHERE link_id = ${id}`
  })

  const active = SqlSchema.findOne({
    Request: LocalConversationId,
    Result: LinkRow,
    execute: (id) =>
      sql`SELECT * FROM conversation_links
          WHERE local_conversation_id = ${id} AND is_active = 1
          ORDER BY observed_at DESC LIMIT 1`
  })

  const deactivateTab = SqlSchema.findAll({
    Request: Schema.Struct({ client_id: Schema.String, tab_id: Schema.Number, now: Schema.Number }),
    Result: Schema.Struct({ link_id: Schema.String }),
    execute: (r) =>
      sql`UPDATE conversation_links
          SET is_active = 0, updated_at = ${r.now}
          WHERE client_id = ${r.client_id} AND is_active = 1
            AND (target_id = ${`tab:${r.tab_id}`} OR target_payload::jsonb ->> 'tab_id' = ${String(r.tab_id)})
          RETURNING link_id`
  })

  const whereOf = (f: typeof LinkFilter.Encoded) =>
    whereEquals(sql, {
      platform: f.platform,
      remote_conversation_id: f.remote_conversation_id,
      client_id: f.client_id,
      local_conversation_id: f.local_conversation_id,
      is_active: f.is_active === undefined ? undefined : f.is_active ? 1 : 0
    })

  const list = SqlSchema.findAll({
    Request: LinkFilter,
    Result: LinkRow,
    execute: (f) =>
      pageOf(sql, { table: "conversation_links", id: "link_id", orderBy: "observed_at" }, "", whereOf(f), f)
  })

  /** Locks the conversation first: the other links are then deactivated with nobody racing. */
  const upsert = (input: LinkInput) =>
    Effect.gen(function*() {
      const link = yield* validate(LinkInput)(input)
      const now = yield* Clock.currentTimeMillis
      yield* requireConversation(link.local_conversation_id)
      yield* deactivateOthers({ ...link, now })
      return yield* upsertRow({ ...link, is_active: true, created_at: now, updated_at: now })
    }).pipe(sql.withTransaction, orDie)

  return {
    upsert,
    // Inside an observation too: the conversation's lock is what keeps one link active across nodes.
    upsertKnown: upsert,
    get: (id: LinkId) => orDie(byId(id)),
    active: (id: LocalConversationId) => orDie(active(id)),
    list: (filter: LinkFilter) => orDie(list(filter)),
    count: (filter: LinkFilter) => orDie(countOf(sql, "conversation_links", "", whereOf(filter))),
    deactivateTab: (client_id: ClientId, tab_id: number) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((now) => deactivateTab({ client_id, tab_id, now })),
        Effect.map((rows) => rows.length),
        orDie
      )
  } as const
})
