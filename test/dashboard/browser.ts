/** Debian's Chromium in new headless mode, one fresh profile per launch. */
import { existsSync, mkdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { type Browser, chromium, type Page } from "playwright-core"

export const CHROMIUM = process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium"
export const available = existsSync(CHROMIUM)
export const required = process.env["BAA_REQUIRE_BROWSER"] === "1"
export const HOW = "install it with `apt-get install -y chromium` (or point CHROMIUM_PATH at a Chromium binary)"

/** Screenshots land here, one per view (git-ignored). */
export const SHOTS = fileURLToPath(new URL("../../test-results/dashboard/", import.meta.url))

export const launch = (): Promise<Browser> =>
  chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless=new",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync"
    ]
  })

/** Everything the page reports as an error: console errors and uncaught exceptions. */
export const watchErrors = (page: Page): Array<string> => {
  const errors: Array<string> = []
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`)
  })
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`))
  return errors
}

export const screenshot = async (page: Page, name: string): Promise<void> => {
  mkdirSync(SHOTS, { recursive: true })
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true })
}
