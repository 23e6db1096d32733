/**
 * Debian's Chromium with the built extension loaded unpacked, in new headless mode. The fixture
 * sites are reached under their real host names (`--host-resolver-rules`), so the manifest's own
 * match patterns decide where the content scripts run.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { type BrowserContext, chromium, type Worker } from "playwright-core"
import { hostResolverRules } from "../fixtures/siteServer.js"

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
export const EXTENSION_DIR = fileURLToPath(new URL("../../../extension/dist/chromium", import.meta.url))

export interface ExtensionBrowser {
  readonly context: BrowserContext
  /** The extension's service worker (its background). */
  worker(): Promise<Worker>
  close(): Promise<void>
}

export const launch = async (sitePort: number): Promise<ExtensionBrowser> => {
  if (!existsSync(join(EXTENSION_DIR, "manifest.json"))) {
    throw new Error(`${EXTENSION_DIR} is missing: run npm run build first`)
  }
  const userDataDir = mkdtempSync(join(tmpdir(), "baa-chromium-"))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless=new",
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      `--host-resolver-rules=${hostResolverRules(sitePort)}`,
      "--ignore-certificate-errors",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  })
  const worker = async () =>
    context.serviceWorkers().find((w) => w.url().startsWith("chrome-extension://")) ??
      (await context.waitForEvent("serviceworker", { timeout: 10_000 }))
  return {
    context,
    worker,
    close: async () => {
      await context.close()
      rmSync(userDataDir, { recursive: true, force: true })
    }
  }
}

/** Polls `probe` until it returns a value other than undefined, or fails after `ms`. */
export const eventually = async <A>(what: string, probe: () => Promise<A | undefined>, ms = 15_000): Promise<A> => {
  const until = Date.now() + ms
  let last: unknown
  for (;;) {
    try {
      const value = await probe()
      if (value !== undefined) return value
    } catch (error) {
      last = error
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}
