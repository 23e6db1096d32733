import { SqlClient } from "@effect/sql"
import { Effect, Option } from "effect"
import { linkIdFor } from "../../domain/index.js"
import type { Observation, ObservationResult } from "../../services/ArtifactStore.js"
import type * as Links from "../sqlite/links.js"
import { orDie } from "./boundary.js"
import type * as Conversations from "./conversations.js"
import { transaction } from "./held.js"
import type * as Messages from "./messages.js"

export interface Parts {
  readonly messages: Effect.Effect.Success<ReturnType<typeof Messages.make>>
  readonly conversations: Effect.Effect.Success<ReturnType<typeof Conversations.make>>
  readonly links: Effect.Effect.Success<typeof Links.make>
}

export const make = ({ conversations, links, messages }: Parts) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /**
     * The message insert comes first so the transaction takes the write lock before any read.
     * A repeated report refreshes nothing: it returns what is stored (this client's link, else
     * the active one), filling in only what an earlier bare `insertMessage` left missing.
     */
    const record = (observation: Observation) =>
      Effect.gen(function*() {
        const { duplicate, message } = yield* messages.insert(observation.message)
        const found = yield* conversations.findOrCreate({
          platform: message.platform,
          remote_conversation_id: message.conversation_id,
          automation_status: observation.default_status
        })
        const conversation = duplicate && !found.created
          ? found.conversation
          : yield* conversations.noteMessage(found.conversation.local_conversation_id, message)
        const link_id = linkIdFor(message.platform, message.conversation_id, observation.link.client_id)
        const existing = duplicate
          ? yield* links.get(link_id).pipe(
            Effect.flatMap((own) =>
              Option.isSome(own) ? Effect.succeed(own) : links.active(conversation.local_conversation_id)
            )
          )
          : Option.none()
        const link = Option.isSome(existing)
          ? existing.value
          : yield* links.upsertKnown({
            ...observation.link,
            link_id,
            local_conversation_id: conversation.local_conversation_id,
            platform: message.platform,
            remote_conversation_id: message.conversation_id
          })
        return {
          message,
          duplicate,
          conversation,
          conversation_created: found.created,
          link
        } satisfies ObservationResult
      }).pipe(transaction(sql), orDie)

    return { record } as const
  })
