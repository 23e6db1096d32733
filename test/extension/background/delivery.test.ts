import { describe, expect, it } from "vitest"
import { DELIVERED_PLANS_KEY, DeliveredPlans } from "../../../extension/src/background/deliveredPlans.js"
import { routeDelivery } from "../../../extension/src/background/delivery.js"
import type { ProxyDeliveryFrame } from "../../../extension/src/background/frames.js"
import type { DeliverResult } from "../../../extension/src/shared/messages.js"
import { fakeTabs, memoryArea, recordingLog } from "./fakes.js"

const frame = (overrides: Partial<ProxyDeliveryFrame> = {}): ProxyDeliveryFrame => ({
  type: "browser.proxy_delivery",
  request_id: "req_1",
  plan_id: "plan_1",
  platform: "chatgpt",
  conversation_id: "conv-1",
  tab_id: 5,
  message_text: "[renewal] keep going",
  timeout_ms: 20_000,
  ...overrides
})

const setup = async (answer: () => DeliverResult | undefined, url = "https://chatgpt.com/c/conv-1") => {
  const area = memoryArea()
  const log = recordingLog()
  const plans = new DeliveredPlans(area, log)
  await plans.load()
  const tabs = fakeTabs({ 5: { url, answer } })
  return { area, plans, tabs, deps: { tabs, plans, now: () => 1234, log } }
}

const ok: DeliverResult = { ok: true }

describe("routeDelivery", () => {
  it("sends the text to the tab's content script and answers a completed action_result", async () => {
    const { tabs, deps } = await setup(() => ok)
    expect(await routeDelivery(frame(), deps)).toEqual({
      type: "action_result",
      request_id: "req_1",
      accepted: true,
      completed: true,
      failed: false,
      reason: null,
      duplicate: false,
      received_at: 1234
    })
    expect(tabs.sent).toEqual([
      {
        tabId: 5,
        message: {
          kind: "deliver",
          plan_id: "plan_1",
          conversation_id: "conv-1",
          message_text: "[renewal] keep going",
          timeout_ms: 20_000
        }
      }
    ])
  })

  it("remembers a delivered plan and answers its repeat as a duplicate without sending again", async () => {
    const { area, plans, tabs, deps } = await setup(() => ok)
    await routeDelivery(frame(), deps)
    const repeat = await routeDelivery(frame({ request_id: "req_2" }), deps)
    expect(repeat).toMatchObject({ request_id: "req_2", accepted: true, failed: false, duplicate: true })
    expect(tabs.sent).toHaveLength(1)
    // Kept in storage: a restarted background still knows it.
    const restarted = new DeliveredPlans(area, recordingLog())
    await restarted.load()
    expect(restarted.has("plan_1")).toBe(true)
    expect(area.data.get(DELIVERED_PLANS_KEY)).toEqual(["plan_1"])
    expect(plans.has("plan_1")).toBe(true)
  })

  it("answers a repeat that arrives while the first is still being delivered as a duplicate", async () => {
    const { tabs, deps } = await setup(() => ok)
    const [first, second] = await Promise.all([
      routeDelivery(frame(), deps),
      routeDelivery(frame({ request_id: "req_2" }), deps)
    ])
    expect(first.duplicate).toBe(false)
    expect(second).toMatchObject({ accepted: true, duplicate: true })
    expect(tabs.sent).toHaveLength(1)
  })

  it("passes the content script's failure on and does not remember the plan, so a retry sends", async () => {
    let answer: DeliverResult = { ok: false, reason: "composer_busy" }
    const { plans, tabs, deps } = await setup(() => answer)
    expect(await routeDelivery(frame(), deps)).toMatchObject({
      accepted: false,
      completed: false,
      failed: true,
      reason: "composer_busy",
      duplicate: false
    })
    expect(plans.has("plan_1")).toBe(false)
    answer = ok
    expect(await routeDelivery(frame({ request_id: "req_2" }), deps)).toMatchObject({
      accepted: true,
      duplicate: false
    })
    expect(tabs.sent).toHaveLength(2)
  })

  it("answers tab_not_found for a tab that does not exist", async () => {
    const { tabs, deps } = await setup(() => ok)
    expect(await routeDelivery(frame({ tab_id: 99 }), deps)).toMatchObject({ failed: true, reason: "tab_not_found" })
    expect(tabs.sent).toEqual([])
  })

  it("tells a tab that left the site (tab_not_found) from a page whose script is not ready (send_failed)", async () => {
    const absent = () => {
      throw new Error("Could not establish connection. Receiving end does not exist.")
    }
    const elsewhere = await setup(absent, "https://example.org/")
    expect(await routeDelivery(frame(), elsewhere.deps)).toMatchObject({ failed: true, reason: "tab_not_found" })
    const loading = await setup(absent)
    expect(await routeDelivery(frame(), loading.deps)).toMatchObject({ failed: true, reason: "send_failed" })
    expect(loading.plans.has("plan_1")).toBe(false)
  })

  it("answers send_failed when the content script answers nothing usable", async () => {
    const { deps } = await setup(() => undefined)
    expect(await routeDelivery(frame(), deps)).toMatchObject({ failed: true, reason: "send_failed" })
  })

  it("answers conversation_mismatch without sending when the daemon knows no conversation id", async () => {
    const { tabs, deps } = await setup(() => ok)
    expect(await routeDelivery(frame({ conversation_id: null }), deps)).toMatchObject({
      reason: "conversation_mismatch"
    })
    expect(tabs.sent).toEqual([])
  })
})
