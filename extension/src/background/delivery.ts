/**
 * Routes a `browser.proxy_delivery` to its tab's content script and turns the outcome into the
 * `action_result` the daemon waits for. A plan delivered before is answered as a duplicate
 * without touching the tab; a plan is remembered only once its text was really sent.
 */
import type { DeliverResult, DeliveryFailure } from "../shared/messages.js"
import type { DeliveredPlans } from "./deliveredPlans.js"
import type { ActionResultFrame, ProxyDeliveryFrame } from "./frames.js"
import type { Logger, TabsPort } from "./ports.js"

export interface DeliveryDeps {
  readonly tabs: TabsPort
  readonly plans: DeliveredPlans
  readonly now: () => number
  readonly log: Logger
}

/** The hosts the content scripts run on: a tab elsewhere no longer shows the conversation. */
export const SITE_HOSTS: ReadonlyArray<string> = ["chatgpt.com", "claude.ai", "gemini.google.com"]

const onSupportedSite = (url: string | undefined): boolean => {
  try {
    return url !== undefined && SITE_HOSTS.includes(new URL(url).hostname)
  } catch {
    return false
  }
}

type Outcome = { readonly ok: true; readonly duplicate: boolean } | {
  readonly ok: false
  readonly reason: DeliveryFailure
}

const failed = (reason: DeliveryFailure): Outcome => ({ ok: false, reason })

const isDeliverResult = (value: unknown): value is DeliverResult =>
  typeof value === "object" && value !== null && typeof (value as { ok?: unknown }).ok === "boolean"

const sendToTab = async (frame: ProxyDeliveryFrame, deps: DeliveryDeps): Promise<Outcome> => {
  let tab: { readonly url?: string }
  try {
    tab = await deps.tabs.get(frame.tab_id)
  } catch {
    return failed("tab_not_found")
  }
  if (frame.conversation_id === null) return failed("conversation_mismatch")
  let answer: unknown
  try {
    answer = await deps.tabs.sendMessage(frame.tab_id, {
      kind: "deliver",
      plan_id: frame.plan_id,
      conversation_id: frame.conversation_id,
      message_text: frame.message_text,
      timeout_ms: frame.timeout_ms
    })
  } catch (error) {
    // No content script answers: the tab left the site, or its page is still loading.
    deps.log.warn("baa-conductor: no content script answered in tab", frame.tab_id, error)
    return failed(onSupportedSite(tab.url) ? "send_failed" : "tab_not_found")
  }
  if (!isDeliverResult(answer)) return failed("send_failed")
  if (!answer.ok) return failed(answer.reason)
  await deps.plans.remember(frame.plan_id)
  return { ok: true, duplicate: false }
}

/** Deliveries under way by plan id, so a repeat that arrives meanwhile waits for the first. */
const inFlight = new Map<string, Promise<Outcome>>()

const deliverOnce = async (frame: ProxyDeliveryFrame, deps: DeliveryDeps): Promise<Outcome> => {
  if (deps.plans.has(frame.plan_id)) return { ok: true, duplicate: true }
  const running = inFlight.get(frame.plan_id)
  if (running !== undefined) {
    const first = await running
    return first.ok ? { ok: true, duplicate: true } : first
  }
  const attempt = sendToTab(frame, deps)
  inFlight.set(frame.plan_id, attempt)
  try {
    return await attempt
  } finally {
    inFlight.delete(frame.plan_id)
  }
}

export const routeDelivery = async (frame: ProxyDeliveryFrame, deps: DeliveryDeps): Promise<ActionResultFrame> => {
  const received_at = deps.now()
  const outcome = await deliverOnce(frame, deps).catch((error: unknown): Outcome => {
    deps.log.warn("baa-conductor: delivery failed unexpectedly", error)
    return failed("send_failed")
  })
  return {
    type: "action_result",
    request_id: frame.request_id,
    accepted: outcome.ok,
    completed: outcome.ok,
    failed: !outcome.ok,
    reason: outcome.ok ? null : outcome.reason,
    duplicate: outcome.ok && outcome.duplicate,
    received_at
  }
}
