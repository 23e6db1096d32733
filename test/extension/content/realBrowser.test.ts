// The content core in real Chromium against the fixture site pages, without the rest of the
// extension: the core is bundled with a port that records into the page, and injected into it.
// This pins down what happy-dom cannot show (the browser's own editing commands, innerText,
// mutation timing); the extension end-to-end tests cover the same pages through the background.
import { build } from "esbuild"
import { existsSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { hostResolverRules, type SiteServer, start } from "../fixtures/siteServer.js"

const executablePath = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
const haveBrowser = existsSync(executablePath)
if (!haveBrowser && process.env["BAA_REQUIRE_BROWSER"] === "1") {
  throw new Error(`BAA_REQUIRE_BROWSER=1 but no Chromium at ${executablePath}`)
}
if (!haveBrowser) {
  console.warn(
    `content-script browser tests skipped: no Chromium at ${executablePath}; apt-get install -y chromium (or set CHROMIUM_PATH) to run them`
  )
}
const contentDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "extension", "src", "content")

const bundleCore = async (): Promise<string> => {
  const result = await build({
    stdin: {
      resolveDir: contentDir,
      loader: "ts",
      contents: `
        import { chatgpt } from "./adapters/chatgpt.js"
        import { claude } from "./adapters/claude.js"
        import { gemini } from "./adapters/gemini.js"
        import { startContentScript, defaultContentOptions } from "./core/contentScript.js"
        const adapters = { chatgpt, claude, gemini }
        window.__reports = []
        window.__startContent = (platform, quietMs) => startContentScript(adapters[platform], {
          send: (message) => window.__reports.push(message),
          onDeliver: (handler) => { window.__deliver = handler }
        }, document, { ...defaultContentOptions(), quietMs })
      `
    },
    bundle: true,
    write: false,
    format: "iife",
    target: "chrome116",
    logLevel: "silent"
  })
  return result.outputFiles[0]!.text
}

describe.skipIf(!haveBrowser)(
  "content scripts on the fixture sites in Chromium (skipped without Chromium: apt-get install -y chromium)",
  () => {
    let server: SiteServer
    let browser: Browser
    let core: string
    beforeAll(async () => {
      ;[server, core] = await Promise.all([start(), bundleCore()])
      browser = await chromium.launch({
        executablePath,
        headless: true,
        args: [
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--ignore-certificate-errors",
          `--host-resolver-rules=${hostResolverRules(server.port)}`
        ]
      })
    })
    afterAll(async () => {
      await browser?.close()
      await server?.close()
    })

    const open = async (url: string, platform: string): Promise<Page> => {
      const page = await browser.newPage()
      await page.goto(url)
      await page.addScriptTag({ content: core })
      await page.evaluate(([p]) => (globalThis as any).__startContent(p, 400), [platform])
      return page
    }
    const reports = (page: Page, kind: string) =>
      page.evaluate((k) => (globalThis as any).__reports.filter((r: { kind: string }) => r.kind === k), kind)
    const deliver = (page: Page, conversationId: string, text: string, timeoutMs = 10_000) =>
      page.evaluate(([c, t, ms]) =>
        (globalThis as any).__deliver({
          kind: "deliver",
          plan_id: "plan_1",
          conversation_id: c,
          message_text: t,
          timeout_ms: ms
        }), [conversationId, text, timeoutMs] as const)

    // one page per site, side by side in the one browser
    it.concurrent.each([
      { platform: "chatgpt", url: "https://chatgpt.com/g/g-abc-writer/c/conv-gpt", conversation: "conv-gpt" },
      { platform: "chatgpt", url: "https://chatgpt.com/c/conv-gpt?composer=textarea", conversation: "conv-gpt" },
      { platform: "claude", url: "https://claude.ai/chat/conv-claude", conversation: "conv-claude" },
      { platform: "gemini", url: "https://gemini.google.com/app/conv-gemini", conversation: "conv-gemini" }
    ])(
      "$url: one report per finished reply, deliveries typed and confirmed, busy refused",
      async ({ platform, url, conversation }) => {
        const page = await open(url, platform)
        try {
          expect(await reports(page, "page")).toMatchObject([{
            platform,
            conversation_id: conversation,
            page_url: url
          }])
          await page.evaluate(() =>
            (globalThis as any).__fixture.streamReply("Streamed, then final.", {
              chunks: 5,
              intervalMs: 120,
              id: "r_stream1"
            })
          )
          await page.waitForFunction(() =>
            (globalThis as any).__reports.some((r: { kind: string }) => r.kind === "final_message")
          )
          await page.waitForTimeout(900)
          const finals = await reports(page, "final_message")
          expect(finals).toHaveLength(1)
          expect(finals[0]).toMatchObject({
            platform,
            conversation_id: conversation,
            text: "Streamed, then final.",
            role: "assistant"
          })
          if (platform !== "claude") expect(finals[0].message_id).toBe("r_stream1")

          expect(await deliver(page, conversation, "[renewal] keep going\nwith a second line")).toEqual({ ok: true })
          expect(await page.evaluate(() => (globalThis as any).__sent)).toEqual([
            "[renewal] keep going\nwith a second line"
          ])

          await page.evaluate(() => (globalThis as any).__fixture.setBusy(5_000))
          expect(await deliver(page, conversation, "too early", 1_500)).toMatchObject({
            ok: false,
            reason: "composer_busy"
          })
          expect(await deliver(page, "another-conversation", "elsewhere")).toMatchObject({
            ok: false,
            reason: "conversation_mismatch"
          })
          expect(await page.evaluate(() => (globalThis as any).__sent)).toHaveLength(1)
        } finally {
          await page.close()
        }
      }
    )
  }
)
