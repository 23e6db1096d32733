import { Clock, Effect } from "effect"
import type { FinalMessageFrame, MessageAckFrame } from "../../domain/frames.js"
import { type ClientId, PROXY_DELIVERY, routeOf, type TargetPayload } from "../../domain/index.js"
import { ArtifactStore } from "../../services/ArtifactStore.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import { PROJECTOR, Wakeups } from "../../services/Wakeups.js"

const targetPayloadOf = (client_id: ClientId, frame: FinalMessageFrame): TargetPayload => ({
  client_id,
  conversation_id: frame.conversation_id,
  page_url: frame.page_url ?? null,
  tab_id: frame.tab_id,
  ...(frame.organization_id != null ? { organization_id: frame.organization_id } : {}),
  ...(frame.shell_page != null ? { shell_page: frame.shell_page } : {})
})

/**
 * `browser.final_message`: stores the message, finds or creates its conversation and makes
 * this client's tab its active link, all in the store's one transaction.
 */
// Untraced: it runs for every reply, and a named `Effect.fn` costs about 10 µs a call with no
// tracer installed.
export const recordFinalMessage = Effect.fnUntraced(function*(
  client_id: ClientId,
  frame: FinalMessageFrame
) {
  const store = yield* ArtifactStore
  const config = yield* ConductorConfig
  const now = yield* Clock.currentTimeMillis
  const observed_at = frame.observed_at ?? now
  const page_url = frame.page_url ?? null
  const route = routeOf(frame.platform, page_url)
  const result = yield* store.recordObservation({
    message: {
      id: frame.message_id,
      platform: frame.platform,
      conversation_id: frame.conversation_id,
      role: frame.role,
      raw_text: frame.text,
      observed_at
    },
    default_status: config.renewal.defaultAutomationStatus,
    link: {
      client_id,
      page_url,
      page_title: frame.page_title ?? null,
      route_path: route.path,
      route_pattern: route.pattern,
      route_params: route.params,
      target_kind: PROXY_DELIVERY,
      target_id: `tab:${frame.tab_id}`,
      target_payload: targetPayloadOf(client_id, frame),
      observed_at
    }
  })
  // The projector looks at a new reply when it settles, not at its next interval; a browser
  // clock ahead of the daemon's does not postpone that (the projector settles on receipt).
  if (!result.duplicate) {
    const settlesAt = Math.min(observed_at, now) + config.renewal.settleDelayMs
    yield* Effect.flatMap(Wakeups, (wakeups) => wakeups.wakeAt(PROJECTOR, settlesAt))
  }
  const ack: MessageAckFrame = {
    type: "ack",
    ref: frame.id ?? null,
    message_id: result.message.id,
    local_conversation_id: result.conversation.local_conversation_id,
    duplicate: result.duplicate
  }
  return ack
})
