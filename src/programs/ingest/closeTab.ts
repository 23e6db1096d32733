import { Effect } from "effect"
import type { TabClosedAckFrame, TabClosedFrame } from "../../domain/frames.js"
import type { ClientId } from "../../domain/index.js"
import { ArtifactStore } from "../../services/ArtifactStore.js"

/** `browser.tab_closed`: this client's links on that tab stop being active. */
export const closeTab = Effect.fn("Ingest.closeTab")(function*(client_id: ClientId, frame: TabClosedFrame) {
  yield* Effect.annotateCurrentSpan({ client_id, tab_id: frame.tab_id })
  const store = yield* ArtifactStore
  const deactivated_links = yield* store.deactivateTabLinks(client_id, frame.tab_id)
  const ack: TabClosedAckFrame = { type: "ack", ref: frame.id ?? null, tab_id: frame.tab_id, deactivated_links }
  return ack
})
