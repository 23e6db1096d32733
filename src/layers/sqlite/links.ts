import { SqlClient, SqlSchema } from "@effect/sql"
import { Clock, Effect, Schema } from "effect"
import { type ClientId, LinkFilter, LinkId, LinkInput, LocalConversationId } from "../../domain/index.js"
import { orDie, validate } from "../sql/boundary.js"
import { held, reader } from "../sql/held.js"
import { countOf, pageOf, whereEquals } from "../sql/pages.js"
import { makeRequireConversation } from "../sql/references.js"
import { LinkRow } from "../sql/rows.js"

/**
 * The index that serves a filter: one conversation or one remote id has few links (sorted
 * after); a client, a platform or an activity state is read in list order, so a page reads
 * about `offset + limit` rows.
 */
const indexFor = (
  f:
    & {
      readonly [K in "platform" | "remote_conversation_id" | "client_id" | "local_conversation_id"]?: string | undefined
    }
    & { readonly is_active?: boolean | undefined }
): string => {
  if (f.local_conversation_id !== undefined) return "INDEXED BY conversation_links_conversation_active"
  if (f.remote_conversation_id !== undefined) return "INDEXED BY conversation_links_remote"
  const active = f.is_active === undefined ? "" : "_active"
  if (f.client_id !== undefined) return `INDEXED BY conversation_links_client${active}_observed`
  if (f.platform !== undefined) return `INDEXED BY conversation_links_platform${active}_observed`
  return `INDEXED BY conversation_links${active}_observed`
}

export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const read = yield* reader

  const deactivateOthers = SqlSchema.void({
    Request: Schema.Struct({ local_conversation_id: LocalConversationId, link_id: LinkId, now: Schema.Number }),
    execute: (r) =>
      held(sql`UPDATE conversation_links INDEXED BY conversation_links_conversation_active
          SET is_active = 0, updated_at = ${r.now}
          WHERE local_conversation_id = ${r.local_conversation_id} AND is_active = 1 AND link_id <> ${r.link_id}`)
  })

  const requireConversation = yield* makeRequireConversation

  // A link observed again keeps its `created_at` and takes every other observed field.
  const upsertRow = SqlSchema.single({
    Request: LinkRow,
    Result: LinkRow,
    execute: (row) =>
      held(sql`INSERT INTO conversation_links ${sql.insert(row)}
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
          RETURNING *`)
  })

  const byId = SqlSchema.findOne({
    Request: LinkId,
    Result: LinkRow,
    execute: (id) => read(sql`SELECT * FROM conversation_links WHERE link_id = ${id}`)
  })

  const active = SqlSchema.findOne({
    Request: LocalConversationId,
    Result: LinkRow,
    execute: (id) =>
      read(sql`SELECT * FROM conversation_links INDEXED BY conversation_links_conversation_active
          WHERE local_conversation_id = ${id} AND is_active = 1
          ORDER BY observed_at DESC LIMIT 1`)
  })

  const deactivateTab = SqlSchema.findAll({
    Request: Schema.Struct({ client_id: Schema.String, tab_id: Schema.Number, now: Schema.Number }),
    Result: Schema.Struct({ link_id: Schema.String }),
    execute: (r) =>
      held(sql`UPDATE conversation_links INDEXED BY conversation_links_client_target
          SET is_active = 0, updated_at = ${r.now}
          WHERE client_id = ${r.client_id} AND is_active = 1
            AND (target_id = ${`tab:${r.tab_id}`} OR json_extract(target_payload, '$.tab_id') = ${r.tab_id})
          RETURNING link_id`)
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
      pageOf(sql, { table: "conversation_links", id: "link_id", orderBy: "observed_at" }, indexFor(f), whereOf(f), f)
  })

  /** Deactivates the conversation's other links first, so the write lock is taken up front. */
  const upsert = (input: LinkInput) =>
    Effect.gen(function*() {
      const link = yield* validate(LinkInput)(input)
      const now = yield* Clock.currentTimeMillis
      yield* deactivateOthers({ ...link, now })
      yield* requireConversation(link.local_conversation_id)
      return yield* upsertRow({ ...link, is_active: true, created_at: now, updated_at: now })
    }).pipe(sql.withTransaction, orDie)

  /**
   * The same inside the caller's transaction, which has just found or created the conversation:
   * no savepoint and no existence check, three statements fewer on every stored reply.
   */
  const upsertKnown = (input: LinkInput) =>
    Effect.gen(function*() {
      const link = yield* validate(LinkInput)(input)
      const now = yield* Clock.currentTimeMillis
      yield* deactivateOthers({ ...link, now })
      return yield* upsertRow({ ...link, is_active: true, created_at: now, updated_at: now })
    }).pipe(orDie)

  return {
    upsert,
    upsertKnown,
    get: (id: LinkId) => orDie(byId(id)),
    active: (id: LocalConversationId) => orDie(active(id)),
    list: (filter: LinkFilter) => orDie(list(filter)),
    count: (filter: LinkFilter) => orDie(countOf(sql, "conversation_links", indexFor(filter), whereOf(filter))),
    deactivateTab: (client_id: ClientId, tab_id: number) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((now) => deactivateTab({ client_id, tab_id, now })),
        Effect.map((rows) => rows.length),
        orDie
      )
  } as const
})
