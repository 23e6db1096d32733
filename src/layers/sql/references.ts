import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option } from "effect"
import { InvalidStoreInput, LocalConversationId } from "../../domain/index.js"
import { Exists } from "./rows.js"

/**
 * Jobs and links name a conversation. Checking first turns an unknown one into a typed
 * `InvalidStoreInput` instead of a foreign-key `SqlError` (a defect at the boundary).
 */
export const makeRequireConversation = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const exists = SqlSchema.findOne({
    Request: LocalConversationId,
    Result: Exists,
    execute: (id) => sql`SELECT 1 AS found FROM local_conversations WHERE local_conversation_id = ${id}`
  })
  return (id: LocalConversationId) =>
    Effect.flatMap(exists(id), (found) =>
      Option.isSome(found)
        ? Effect.void
        : Effect.fail(new InvalidStoreInput({ field: "local_conversation_id", message: "no such conversation" })))
})
