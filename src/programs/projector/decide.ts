import { Data, Effect, Option } from "effect"
import {
  availableTab,
  type ConversationLink,
  type LocalConversation,
  type Message,
  type SkipReason
} from "../../domain/index.js"
import type { ArtifactStoreService } from "../../services/ArtifactStore.js"

export type { SkipReason }

export type Decision = Data.TaggedEnum<{
  Skip: { readonly reason: SkipReason; readonly conversation: LocalConversation | null }
  Create: { readonly conversation: LocalConversation; readonly link: ConversationLink }
}>
export const Decision = Data.taggedEnum<Decision>()

const skip = (reason: SkipReason, conversation: LocalConversation | null = null) =>
  Effect.succeed(Decision.Skip({ reason, conversation }))

/** The projector's decision table for one settled message, checked in the spec's order. */
export const decide = (
  store: Pick<ArtifactStoreService, "findConversation" | "activeLink" | "countJobs">,
  message: Message
): Effect.Effect<Decision> =>
  Effect.gen(function*() {
    if (message.corrupt === true) return yield* skip("corrupt_record")
    if (message.role !== "assistant") return yield* skip("non_assistant_message")
    const found = yield* store.findConversation({
      platform: message.platform,
      remote_conversation_id: message.conversation_id
    })
    if (Option.isNone(found)) return yield* skip("missing_local_conversation")
    const conversation = found.value
    if (conversation.automation_status === "manual") return yield* skip("automation_manual", conversation)
    if (conversation.automation_status === "paused") return yield* skip("automation_paused", conversation)
    const link = yield* store.activeLink(conversation.local_conversation_id)
    if (Option.isNone(link) || Option.isNone(availableTab(link.value))) {
      return yield* skip("route_unavailable", conversation)
    }
    // A count on the unique index: no page to sort, no row to decode.
    const existing = yield* store.countJobs({ message_id: message.id, limit: 1, offset: 0 })
    if (existing > 0) return yield* skip("job_exists", conversation)
    return Decision.Create({ conversation, link: link.value })
  })
