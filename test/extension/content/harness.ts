import { vi } from "vitest"
import type { SiteAdapter } from "../../../extension/src/content/core/adapter.js"
import { startContentScript } from "../../../extension/src/content/core/contentScript.js"
import { defaultDeliveryOptions } from "../../../extension/src/content/core/deliver.js"
import type {
  ContentToBackground,
  DeliverRequest,
  DeliverResult,
  FinalMessageReport,
  PageReport
} from "../../../extension/src/shared/messages.js"

export const quietMs = 1_500

/** A content script on the test's document, with a port that records what it sends. */
export const startScript = (adapter: SiteAdapter) => {
  const sent: Array<ContentToBackground> = []
  let handler: ((request: DeliverRequest) => Promise<DeliverResult>) | undefined
  const script = startContentScript(
    adapter,
    {
      send: (message) => sent.push(message),
      onDeliver: (h) => (handler = h)
    },
    document,
    { quietMs, scanThrottleMs: 150, storage: sessionStorage, delivery: defaultDeliveryOptions }
  )
  return {
    ...script,
    finals: () => sent.filter((m): m is FinalMessageReport => m.kind === "final_message"),
    pages: () => sent.filter((m): m is PageReport => m.kind === "page"),
    deliver: (request: DeliverRequest) => {
      if (handler === undefined) throw new Error("no delivery handler registered")
      return handler(request)
    }
  }
}

/** Lets fake time pass in steps, so mutation callbacks and timers interleave as in a browser. */
export const elapse = async (ms: number, step = 50): Promise<void> => {
  for (let waited = 0; waited < ms; waited += step) await vi.advanceTimersByTimeAsync(Math.min(step, ms - waited))
}
