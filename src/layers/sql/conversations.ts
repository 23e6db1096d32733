import { SqlClient, SqlSchema } from "@effect/sql"
import { Clock, Effect, Option, Schema } from "effect"
import {
  AutomationStatus,
  ConversationFilter,
  ConversationKey,
  InvalidStoreInput,
  LocalConversation,
  LocalConversationId,
  type Message,
  NewConversation,
  newLocalConversationId,
  RecordNotFound
} from "../../domain/index.js"
import { orDie, validate } from "./boundary.js"
import * as Dialect from "./dialect.js"
import { held, reader } from "./held.js"
import { countOf, pageOf, whereEquals } from "./pages.js"

/** The index that serves a filter in list order, so a page reads about `offset + limit` rows. */
const indexOf = (f: { readonly platform?: string | undefined; readonly status?: string | undefined }): string =>
  f.status !== undefined
    ? "local_conversations_status_updated"
    : f.platform !== undefined
    ? "local_conversations_platform_updated"
    : "local_conversations_updated"

/** Both stores' conversations; only the index hints differ (`dialect`). */
export const make = (dialect: Dialect.Dialect = Dialect.sqlite) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const read = yield* reader
    const indexFor = (f: Parameters<typeof indexOf>[0]) => dialect.hint(indexOf(f))

    const insertRow = SqlSchema.findAll({
      Request: LocalConversation,
      Result: LocalConversation,
      execute: (c) => held(sql`INSERT INTO local_conversations ${sql.insert(c)} ON CONFLICT DO NOTHING RETURNING *`)
    })

    const byKey = SqlSchema.findOne({
      Request: ConversationKey,
      Result: LocalConversation,
      execute: (k) =>
        read(sql`SELECT * FROM local_conversations
          WHERE platform = ${k.platform} AND remote_conversation_id = ${k.remote_conversation_id}`)
    })

    const byId = SqlSchema.findOne({
      Request: LocalConversationId,
      Result: LocalConversation,
      execute: (id) => read(sql`SELECT * FROM local_conversations WHERE local_conversation_id = ${id}`)
    })

    const whereOf = (f: typeof ConversationFilter.Encoded) =>
      whereEquals(sql, { platform: f.platform, automation_status: f.status })

    const list = SqlSchema.findAll({
      Request: ConversationFilter,
      Result: LocalConversation,
      execute: (f) =>
        pageOf(
          sql,
          { table: "local_conversations", id: "local_conversation_id", orderBy: "updated_at" },
          indexFor(f),
          whereOf(f),
          f
        )
    })

    const switchStatus = SqlSchema.findAll({
      Request: Schema.Struct({ id: LocalConversationId, status: AutomationStatus, now: Schema.Number }),
      Result: LocalConversation,
      execute: (r) =>
        held(sql`UPDATE local_conversations
          SET automation_status = ${r.status},
              paused_at = ${r.status === "paused" ? r.now : null},
              updated_at = ${r.now}
          WHERE local_conversation_id = ${r.id} AND automation_status <> ${r.status}
          RETURNING *`)
    })

    // An older message arriving late does not replace a newer last message.
    const noteRow = SqlSchema.findAll({
      Request: Schema.Struct({
        id: LocalConversationId,
        message_id: Schema.String,
        at: Schema.Number,
        now: Schema.Number
      }),
      Result: LocalConversation,
      execute: (r) =>
        held(sql`UPDATE local_conversations
          SET last_message_id = ${r.message_id}, last_message_at = ${r.at}, updated_at = ${r.now}
          WHERE local_conversation_id = ${r.id} AND (last_message_at IS NULL OR last_message_at <= ${r.at})
          RETURNING *`)
    })

    const getOrDie = (id: LocalConversationId) => byId(id).pipe(Effect.map(Option.getOrThrow))

    // Looked up first: every reply but a conversation's first finds it, with one statement.
    const findOrCreate = (input: NewConversation) =>
      Effect.gen(function*() {
        const valid = yield* validate(NewConversation)(input)
        const found = yield* byKey(valid)
        if (Option.isSome(found)) return { conversation: found.value, created: false }
        const now = yield* Clock.currentTimeMillis
        const [created] = yield* insertRow({
          local_conversation_id: valid.local_conversation_id ?? (yield* newLocalConversationId),
          platform: valid.platform,
          remote_conversation_id: valid.remote_conversation_id,
          automation_status: valid.automation_status,
          paused_at: valid.automation_status === "paused" ? now : null,
          last_message_id: null,
          last_message_at: null,
          created_at: now,
          updated_at: now
        })
        if (created !== undefined) return { conversation: created, created: true }
        const existing = yield* byKey(valid)
        if (Option.isSome(existing)) return { conversation: existing.value, created: false }
        return yield* new InvalidStoreInput({
          field: "local_conversation_id",
          message: "already names another conversation"
        })
      }).pipe(orDie)

    const setStatus = (id: LocalConversationId, status: AutomationStatus) =>
      Effect.gen(function*() {
        yield* validate(AutomationStatus)(status)
        const now = yield* Clock.currentTimeMillis
        const [switched] = yield* switchStatus({ id, status, now })
        if (switched !== undefined) return switched
        const current = yield* byId(id)
        if (Option.isNone(current)) return yield* new RecordNotFound({ resource: "conversation", id })
        return current.value
      }).pipe(orDie)

    const noteMessage = (id: LocalConversationId, message: Message) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const [noted] = yield* noteRow({ id, message_id: message.id, at: message.observed_at, now })
        return noted ?? (yield* getOrDie(id))
      }).pipe(orDie)

    return {
      findOrCreate,
      setStatus,
      noteMessage,
      find: (key: ConversationKey) => orDie(byKey(key)),
      get: (id: LocalConversationId) => orDie(byId(id)),
      list: (filter: ConversationFilter) => orDie(list(filter)),
      count: (filter: ConversationFilter) =>
        orDie(countOf(sql, "local_conversations", indexFor(filter), whereOf(filter)))
    } as const
  })
