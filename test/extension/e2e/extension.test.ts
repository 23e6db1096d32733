// @vitest-environment node
/**
 * The built extension in Debian's Chromium against the real daemon and fixture pages that play
 * each site under its real host name. One browser and one daemon serve the whole file; the three
 * platforms run side by side in their own tabs.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Worker } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { PACING_OFF } from "../../../bench/pacingOff.js"
import { type SiteServer, start as startSites } from "../fixtures/siteServer.js"
import { CHROMIUM, eventually, type ExtensionBrowser, launch } from "./browser.js"
import { type Daemon, daemon, freePort } from "./daemon.js"
import { completedAsDuplicate, type Job, jobsOf, lastMessageId, linksOf } from "./renewal.js"
import { sent, setBusy, SITES, squash, stream, type Tab } from "./sites.js"

const available = existsSync(CHROMIUM)
const required = process.env["BAA_REQUIRE_BROWSER"] === "1"
const HOW = `install it with \`apt-get install -y chromium\` (or point CHROMIUM_PATH at a Chromium binary)`
if (!available && !required) console.warn(`browser tests skipped: no Chromium at ${CHROMIUM}; ${HOW} to run them`)

it.runIf(!available && required)("needs Chromium (BAA_REQUIRE_BROWSER=1)", () => {
  throw new Error(`no Chromium at ${CHROMIUM}: ${HOW}`)
})

/** The extension API inside the service worker, where `worker.evaluate` runs. */
declare const chrome: {
  readonly storage: Record<"local" | "session", {
    get(key: string): Promise<Record<string, unknown>>
    set(items: Record<string, unknown>): Promise<void>
  }>
}

describe.skipIf(!available)("the extension in Chromium", () => {
  let stateDir: string
  let conductor: Daemon
  let sites: SiteServer
  let browser: ExtensionBrowser
  let worker: Worker
  const tabs: Array<Tab> = []

  const storage = <A>(area: "local" | "session", key: string) =>
    worker.evaluate(
      async ([area, key]) => (await chrome.storage[area].get(key))[key],
      [area, key] as const
    ) as Promise<A | undefined>

  const configure = (daemonUrl: string, token: string) =>
    worker.evaluate(async (settings) => chrome.storage.local.set({ settings }), { daemonUrl, token })

  const connected = () =>
    eventually(
      "the extension to connect",
      async () =>
        (await storage<{ state: string }>("session", "connection_status"))?.state === "connected" ? true : undefined
    )

  const jobs = (tab: Tab) => jobsOf(conductor, tab.localId)
  const lastMessage = (tab: Tab) => lastMessageId(conductor, tab.localId)

  /** Streams a reply and waits until the daemon stored it; resolves to the job made from it. */
  const replyStored = async (tab: Tab, text: string) => {
    const before = await lastMessage(tab)
    await stream(tab, text)
    return eventually(`${tab.platform}: the reply stored`, async () => {
      const id = await lastMessage(tab)
      return id !== before && id !== null ? id : undefined
    })
  }

  const jobFor = (tab: Tab, messageId: string, until: (job: Job) => boolean, what: string) =>
    eventually(
      `${tab.platform}: job ${what}`,
      async () => (await jobs(tab)).find((j) => j.message_id === messageId && until(j))
    )

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "baa-ext-e2e-"))
    conductor = daemon({
      stateDir,
      port: await freePort(),
      token: "e2e-token-0123456789",
      // Short intervals keep the file quick; the long execution timeout gives a busy composer
      // seconds of waiting before the content script gives up.
      args: [
        "--interval-ms",
        "200",
        "--retry-base-delay-ms",
        "300",
        "--retry-max-delay-ms",
        "1000",
        "--execution-timeout-ms",
        "8000",
        "--max-attempts",
        "6",
        // Pacing is tested on its own; here one tab is renewed many times within a minute.
        ...PACING_OFF
      ]
    })
    await conductor.start()
    sites = await startSites()
    browser = await launch(sites.port)
    worker = await browser.worker()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await sites?.close()
    await conductor?.stop()
    if (stateDir) rmSync(stateDir, { recursive: true, force: true })
  })

  const extensionPage = async (file: string) => {
    const page = await browser.context.newPage()
    await page.goto(`chrome-extension://${new URL(worker.url()).host}/${file}`)
    return page
  }

  it("connects once the daemon URL and token are saved in the options page", async () => {
    const options = await extensionPage("options.html")
    await options.locator("#daemon-url").fill(conductor.wsUrl)
    await options.locator("#token").fill(conductor.token)
    await options.locator("button[type=submit]").click()
    await connected()
    await options.locator("#connection.connected").waitFor()
    expect(await options.locator("#connection").innerText()).toContain(conductor.wsUrl)
    await options.close()
  })

  it("says hello with a stable per-profile client id and the platforms it serves", async () => {
    const { clients } = await conductor.get<
      { clients: Array<{ client_id: string; platforms: Array<string>; status: string }> }
    >("/v1/browser")
    expect(clients).toHaveLength(1)
    expect(clients[0]!.client_id).toMatch(/^chromium-[a-z0-9]{8}$/)
    expect(clients[0]!.platforms).toEqual(["chatgpt", "claude", "gemini"])
    expect(await storage("local", "client_id")).toBe(clients[0]!.client_id)
  })

  it("stores a finished reply, and links the conversation to its tab", async () => {
    await Promise.all(
      SITES.map(async (site) => {
        const conversationId = `${site.platform}-conv-${Math.random().toString(36).slice(2, 8)}`
        const page = await browser.context.newPage()
        await page.goto(`https://${site.host}${site.path(conversationId)}`)
        const tab: Tab = { platform: site.platform, page, conversationId, localId: "" }
        tabs.push(tab)
        await stream(tab, `${site.platform} first reply, still manual`)
        const link = await eventually(`${site.platform}: the link`, async () => {
          const links = await linksOf(conductor, `platform=${site.platform}&remote_conversation_id=${conversationId}`)
          return links[0]
        })
        expect(link.is_active).toBe(true)
        tab.localId = link.local_conversation_id
        expect(await lastMessage(tab)).not.toBeNull()
      })
    )
    // Let the projector decide on these replies now, while their conversations are manual.
    await conductor.post("/v1/timed-jobs/renewal.projector/run")
    for (const tab of tabs) expect(await jobs(tab)).toEqual([])
  })

  /**
   * Streams a reply in every tab while the daemon's automation is paused, so each renewal job
   * waits, makes every composer busy, and resumes: the deliveries meet a generating page.
   */
  const deliveriesMeetBusyPages = async (what: string) => {
    await conductor.post("/v1/system/pause")
    const messageIds = await Promise.all(
      tabs.map(async (tab) => {
        const messageId = await replyStored(tab, `${tab.platform} ${what}`)
        await jobFor(tab, messageId, (j) => j.status === "pending", "pending")
        await setBusy(tab, 600_000)
        return messageId
      })
    )
    await conductor.post("/v1/system/resume")
    return messageIds
  }

  it("in auto, types the renewal of the finished reply (never a partial) into the page, and the job is done", async () => {
    await Promise.all(
      tabs.map(async (tab) => {
        await conductor.post(`/v1/renewal/conversations/${tab.localId}/auto`)
        const text = `${tab.platform} second reply, which streams in four chunks before it is final`
        const messageId = await replyStored(tab, text)
        const job = await jobFor(tab, messageId, (j) => j.status === "done", "done")
        // The stored text is the whole reply: a partial would have been stored first and kept.
        expect(job.payload_text).toContain(text)
        expect((await sent(tab)).map(squash)).toEqual([squash(job.payload_text)])
        expect(await jobs(tab)).toHaveLength(1)
      })
    )
  })

  it("answers composer_busy while a reply is generating, and the retry goes through", async () => {
    const messageIds = await deliveriesMeetBusyPages("third reply, delivered once the page is idle")
    await Promise.all(
      tabs.map(async (tab, i) => {
        await jobFor(tab, messageIds[i]!, (j) => j.last_error === "composer_busy", "failed with composer_busy")
        await setBusy(tab, 0)
        const job = await jobFor(tab, messageIds[i]!, (j) => j.status === "done", "done after the retry")
        expect((await sent(tab)).map(squash).at(-1)).toBe(squash(job.payload_text))
      })
    )
  })

  it("answers a second delivery of a delivered plan as a duplicate, without sending again", async () => {
    const texts = new Map<Tab, string>()
    const messages = await deliveriesMeetBusyPages("fourth reply, whose result gets lost")
    await Promise.all(tabs.map((tab, i) => jobFor(tab, messages[i]!, (j) => j.status === "running", "running")))
    // New settings make the extension reconnect: the daemon fails the attempts in flight with
    // client_disconnected and sends the same plans again, while the tabs still hold the first.
    await configure(`${conductor.wsUrl}?reconnect=1`, conductor.token)
    await Promise.all(
      tabs.map(async (tab, i) => {
        const job = await jobFor(
          tab,
          messages[i]!,
          (j) => j.last_error === "client_disconnected" || j.attempt_count >= 2,
          "retried"
        )
        texts.set(tab, job.payload_text)
        await setBusy(tab, 0)
      })
    )
    await Promise.all(
      tabs.map(async (tab, i) => {
        const job = await jobFor(tab, messages[i]!, (j) => j.status === "done", "done")
        expect(job.attempt_count).toBeGreaterThanOrEqual(2)
        expect((await sent(tab)).filter((t) => squash(t) === squash(texts.get(tab)!))).toHaveLength(1)
        // The renewal log is written in batches (at least every 100 ms): wait for the line.
        await eventually(
          `${tab.platform}: the duplicate in the log`,
          async () => completedAsDuplicate(stateDir, job.job_id) ? true : undefined
        )
      })
    )
  })

  it("keeps replies reported while the daemon is down and delivers them once it is back", async () => {
    await conductor.stop()
    const texts = tabs.map((tab) => `${tab.platform} fifth reply, reported while the daemon was down`)
    await Promise.all(tabs.map((tab, i) => stream(tab, texts[i]!)))
    await eventually("the replies in the outbox", async () => {
      const outbox = (await storage<Array<{ type: string; text?: string }>>("local", "outbox")) ?? []
      return texts.every((text) => outbox.some((f) => f.text === text)) ? true : undefined
    })
    await conductor.start()
    await connected()
    await Promise.all(
      tabs.map(async (tab, i) => {
        const job = await eventually(
          `${tab.platform}: the renewal of the fifth reply`,
          async () => (await jobs(tab)).find((j) => j.payload_text.includes(texts[i]!) && j.status === "done")
        )
        expect((await sent(tab)).map(squash)).toContain(squash(job.payload_text))
      })
    )
    await eventually(
      "an empty outbox",
      async () => ((await storage<Array<unknown>>("local", "outbox"))?.length === 0 ? true : undefined)
    )
  }, 45_000)

  it("shows the connection in the popup, which may read the daemon's API without CORS headers", async () => {
    const popup = await extensionPage("popup.html")
    await popup.locator("#connection.connected").waitFor()
    // The popup opened as a tab is its own current tab: no conversation there.
    await expect.poll(() => popup.locator("#conversation").innerText()).toContain(
      "no ChatGPT, Claude or Gemini conversation"
    )
    const status = await popup.evaluate(
      async ([url, token]) =>
        (await fetch(`${url}/v1/renewal/links?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status,
      [conductor.url, conductor.token] as const
    )
    expect(status).toBe(200)
    await popup.close()
  })

  it("switches the current tab's conversation from the popup and lists its jobs", async () => {
    const tab = tabs[0]!
    const pages = (await storage<Record<string, { conversation_id: string | null }>>("session", "tab_pages")) ?? {}
    const tabId = Number(Object.entries(pages).find(([, page]) => page.conversation_id === tab.conversationId)?.[0])
    const popup = await browser.context.newPage()
    // The toolbar popup cannot be opened from a test: open its page and make the conversation's
    // tab the one it finds current.
    await popup.addInitScript((id) => {
      const tabs = (globalThis as unknown as { chrome: { tabs: { query: unknown } } }).chrome.tabs
      tabs.query = (_info: unknown, callback?: (tabs: Array<{ id: number }>) => void) =>
        callback ? callback([{ id }]) : Promise.resolve([{ id }])
    }, tabId)
    await popup.goto(`chrome-extension://${new URL(worker.url()).host}/popup.html`)
    await popup.locator("button[data-status=auto].current").waitFor()
    expect(await popup.locator("#conversation-id").innerText()).toBe(`${tab.platform} ${tab.conversationId}`)
    expect(await popup.locator("#jobs li").count()).toBeGreaterThanOrEqual(4)
    await popup.locator("button[data-status=paused]").click()
    await popup.locator("button[data-status=paused].current").waitFor()
    const conversation = await conductor.get<{ automation_status: string }>(`/v1/renewal/conversations/${tab.localId}`)
    expect(conversation.automation_status).toBe("paused")
    await popup.close()
  })

  it("makes a closed tab's link inactive", async () => {
    await Promise.all(
      tabs.map(async (tab) => {
        await tab.page.close()
        await eventually(`${tab.platform}: the link inactive`, async () => {
          const links = await linksOf(conductor, `local_conversation_id=${tab.localId}`)
          return links.length > 0 && links.every((l) => !l.is_active) ? true : undefined
        })
      })
    )
  })
})
