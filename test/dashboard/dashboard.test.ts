// @vitest-environment node
/**
 * The dashboard in Debian's Chromium against the built daemon: the operator gives the token,
 * sees a conversation appear when a bridge client reports a reply, switches it to auto, watches
 * its job go to done and a refused one fail and be retried, all without reloading, reads a job's
 * log and pauses the system. One browser and one daemon serve the file.
 */
import { Effect, Exit, Scope } from "effect"
import type { Browser, Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PACING_OFF } from "../../bench/pacingOff.js"
import { data } from "../e2e/api.js"
import { type BridgeClient, connect, reply } from "../e2e/bridgeClient.js"
import { type DaemonProcess, spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { available, CHROMIUM, HOW, launch, required, screenshot, watchErrors } from "./browser.js"

if (!available && !required) {
  console.warn(`dashboard browser test skipped: no Chromium at ${CHROMIUM}; ${HOW} to run it`)
}

it.runIf(!available && required)("needs Chromium (BAA_REQUIRE_BROWSER=1)", () => {
  throw new Error(`no Chromium at ${CHROMIUM}: ${HOW}`)
})

/** Far above any wait here; a safety net, never an assertion. */
const WAIT = 10_000

describe.skipIf(!available)("the dashboard in Chromium", () => {
  let scope: Scope.CloseableScope
  let daemon: DaemonProcess
  let bridge: BridgeClient
  let browser: Browser
  let page: Page
  let errors: Array<string>
  const run = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => Effect.runPromise(Scope.extend(effect, scope))

  beforeAll(async () => {
    scope = Effect.runSync(Scope.make())
    const stateDir = await run(makeTempDir)
    // Fast ticks and retries so a job is done or failed within a second.
    daemon = await run(
      spawnDaemon({
        stateDir,
        args: [
          "--interval-ms",
          "200",
          "--retry-base-delay-ms",
          "50",
          "--retry-max-delay-ms",
          "100",
          "--token",
          "dash-token-0123456789",
          // A retry right after a renewal of the same conversation: no pacing here.
          ...PACING_OFF
        ]
      })
    )
    bridge = await run(connect(daemon.wsUrl, daemon.token, "chromium-dash"))
    browser = await launch()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    errors = watchErrors(page)
  })

  afterAll(async () => {
    await browser?.close()
    if (scope !== undefined) await Effect.runPromise(Scope.close(scope, Exit.void))
  })

  const seen = (selector: string) => page.locator(selector).first().waitFor({ state: "visible", timeout: WAIT })
  const card = (messageId: string, status: string) =>
    `[data-testid=message-entry][data-id="${messageId}"] [data-testid=job-card][data-status=${status}]`

  it("is served at / without a token, and only from the daemon", async () => {
    const html = await fetch(daemon.url + "/")
    expect(html.status).toBe(200)
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8")
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'")
    expect(await html.text()).toContain("<script type=\"module\" src=\"/dashboard/app.js\">")
    const script = await fetch(daemon.url + "/dashboard/app.js")
    expect([script.status, script.headers.get("content-type")]).toEqual([200, "text/javascript; charset=utf-8"])
  })

  it("steers renewal live, from the token to a paused system", async () => {
    await page.goto(daemon.url + "/")
    await page.getByTestId("token-input").fill(daemon.token)
    await page.getByTestId("token-submit").click()
    await seen("[data-testid=live-status].live-live")
    await seen("[data-testid=system] .badge-running")
    await screenshot(page, "overview")

    await page.goto(daemon.url + "/#/conversations")
    await seen("[data-testid=conversations] table")
    const first = await run(reply(bridge, { conversation_id: "conv_dash", message_id: "m_first", tab_id: 11 }))
    const id = first.local_conversation_id as string
    const row = `[data-testid=conversation-row][data-id="${id}"]`
    await seen(`${row} .badge-manual`)
    await page.locator(`${row} [data-testid=switch-auto]`).click()
    await seen(`${row} .badge-auto`)
    await screenshot(page, "conversations")

    await page.locator(`${row} a`).first().click()
    await seen("[data-testid=timeline]")
    await run(
      reply(bridge, { conversation_id: "conv_dash", message_id: "m_done", tab_id: 11, text: "the second reply" })
    )
    await seen(card("m_done", "done"))
    expect(await page.locator(`${card("m_done", "done")} .payload`).textContent()).toBe(
      "[renewal] the second reply\nhttps://chatgpt.com/c/conv_dash"
    )
    await seen(`[data-testid=message-entry][data-id="m_first"][data-decision=skipped] .skip-reason`)

    await run(bridge.answer({ kind: "reject", reason: "tab_busy" }))
    await run(reply(bridge, { conversation_id: "conv_dash", message_id: "m_retry", tab_id: 11 }))
    await seen(card("m_retry", "failed"))
    expect(await page.locator(`${card("m_retry", "failed")} .error-code`).textContent()).toBe("tab_busy")
    await screenshot(page, "timeline")
    await run(bridge.answer({ kind: "accept" }))
    await page.locator(`${card("m_retry", "failed")} [data-testid=job-retry]`).click()
    await seen(card("m_retry", "done"))

    await page.goto(daemon.url + "/#/jobs")
    await seen("[data-testid=job-row][data-status=done]")
    expect(await page.locator("[data-testid=job-row]").count()).toBe(2)
    await screenshot(page, "jobs")

    await page.locator(`[data-testid=job-row] a[href$="/log"]`).first().click()
    await seen("[data-testid=job-log] [data-testid=log-line]")
    const stages = await page.locator("[data-testid=log-line] td:nth-child(2)").allTextContents()
    expect(stages).toEqual(expect.arrayContaining(["job_created", "job_failed", "job_completed"]))
    await screenshot(page, "job-log")

    await page.goto(daemon.url + "/#/")
    await page.getByTestId("system-pause").click()
    await seen("[data-testid=system] .badge-paused")
    expect((await run(data(daemon, "/v1/system/state"))).automation).toBe("paused")
    await screenshot(page, "overview-paused")

    expect(errors).toEqual([])
  })
})
