// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"
import type { DeliverRequest, DeliverResult } from "../../../extension/src/shared/messages.js"
import { elapse, startScript } from "./harness.js"
import { actAsSite, resetSite } from "./siteBehaviour.js"
import { load, sites } from "./sites.js"

let cleanups: Array<() => void> = []
beforeEach(() => {
  vi.useFakeTimers()
  sessionStorage.clear()
})
afterEach(() => {
  cleanups.forEach((cleanup) => cleanup())
  cleanups = []
  resetSite()
  vi.useRealTimers()
})

/** Starts the delivery and lets fake time run until it answers (or `maxMs` passes). */
const run = async (request: DeliverRequest, maxMs = 30_000) => {
  const script = startScript(sites.find((s) => s.url === document.location.href)?.adapter ?? currentAdapter)
  cleanups.push(script.stop)
  const started = Date.now()
  let result: DeliverResult | undefined
  void script.deliver(request).then((r) => (result = r))
  for (let waited = 0; result === undefined && waited < maxMs; waited += 50) await elapse(50)
  return { result, tookMs: Date.now() - started }
}
let currentAdapter = sites[0]!.adapter

describe.each(sites)("delivery on $adapter.platform", (site) => {
  const request = (overrides: Partial<DeliverRequest> = {}): DeliverRequest => ({
    kind: "deliver",
    plan_id: "plan_job_1",
    conversation_id: site.conversationId,
    message_text: "[renewal] Please continue.",
    timeout_ms: 20_000,
    ...overrides
  })
  beforeEach(() => {
    currentAdapter = site.adapter
  })

  it("types the text, sends it and sees it in the thread", async () => {
    load(site, "finished")
    const sent = actAsSite(site)
    const { result } = await run(request())
    expect(result).toEqual({ ok: true })
    expect(sent).toEqual(["[renewal] Please continue."])
    const users = document.querySelectorAll(site.adapter.selectors.userMessage)
    expect(users[users.length - 1]?.textContent).toContain("[renewal] Please continue.")
  })

  it("replaces a draft left in the composer", async () => {
    load(site, "finished")
    document.querySelector(site.adapter.selectors.composer)!.innerHTML = "<p>half a thought</p>"
    const sent = actAsSite(site)
    expect((await run(request())).result).toEqual({ ok: true })
    expect(sent).toEqual(["[renewal] Please continue."])
  })

  it("refuses another conversation, or none", async () => {
    load(site, "finished", new URL(site.url.replace(site.conversationId, "other-conv-9")).href)
    const sent = actAsSite(site)
    expect((await run(request())).result).toMatchObject({ ok: false, reason: "conversation_mismatch" })
    load(site, "finished", new URL("/", site.url).href)
    expect((await run(request())).result).toMatchObject({ ok: false, reason: "conversation_mismatch" })
    expect(sent).toEqual([])
  })

  it("says when nobody is signed in", async () => {
    load(site, "logged-out")
    expect((await run(request())).result).toMatchObject({ ok: false, reason: "not_logged_in" })
  })

  it("waits for a generating reply to finish, then sends", async () => {
    load(site, "streaming")
    const sent = actAsSite(site)
    const reply = Array.from(document.querySelectorAll(site.adapter.selectors.assistantMessage)).at(-1)!
    setTimeout(() => site.finishReply(document, reply), 3_000)
    const { result, tookMs } = await run(request())
    expect(result).toEqual({ ok: true })
    expect(tookMs).toBeGreaterThanOrEqual(3_000)
    expect(sent).toEqual(["[renewal] Please continue."])
  })

  it("answers composer_busy within the timeout when the reply keeps generating", async () => {
    load(site, "streaming")
    const sent = actAsSite(site)
    const { result, tookMs } = await run(request({ timeout_ms: 8_000 }))
    expect(result).toMatchObject({ ok: false, reason: "composer_busy" })
    expect(tookMs).toBeLessThan(8_000)
    expect(tookMs).toBeGreaterThan(2_000) // it did wait
    expect(sent).toEqual([])
  })

  it("answers composer_not_found when the page has no composer", async () => {
    load(site, "finished")
    document.querySelector(site.adapter.selectors.composer)!.remove()
    expect((await run(request())).result).toMatchObject({ ok: false, reason: "composer_not_found" })
  })

  it("answers send_failed when the send button stays disabled", async () => {
    load(site, "finished")
    const sent = actAsSite(site, { enablesSend: false, echoes: true })
    expect((await run(request())).result).toMatchObject({ ok: false, reason: "send_failed" })
    expect(sent).toEqual([])
  })

  it("answers send_failed when the sent message never appears", async () => {
    load(site, "finished")
    const sent = actAsSite(site, { enablesSend: true, echoes: false })
    const { result, tookMs } = await run(request())
    expect(result).toMatchObject({ ok: false, reason: "send_failed" })
    expect(sent).toHaveLength(1)
    expect(tookMs).toBeLessThan(20_000)
  })

  it("sends two deliveries one after the other", async () => {
    load(site, "finished")
    const sent = actAsSite(site)
    const script = startScript(site.adapter)
    cleanups.push(script.stop)
    const results: Array<DeliverResult> = []
    void script.deliver(request({ message_text: "first" })).then((r) => results.push(r))
    void script.deliver(request({ message_text: "second", plan_id: "plan_job_2" })).then((r) => results.push(r))
    await elapse(5_000)
    expect(results).toEqual([{ ok: true }, { ok: true }])
    expect(sent).toEqual(["first", "second"])
  })
})
