// The one manifest template; `build.mjs` writes a copy per browser. Each permission is explained
// in docs/extension.md.

const SITES = [
  { platform: "chatgpt", match: "https://chatgpt.com/*" },
  { platform: "claude", match: "https://claude.ai/*" },
  { platform: "gemini", match: "https://gemini.google.com/*" }
]

export const PLATFORMS = SITES.map((site) => site.platform)

const ICONS = { 16: "icons/icon-16.png", 32: "icons/icon-32.png", 48: "icons/icon-48.png", 128: "icons/icon-128.png" }

/** @param {"chromium" | "firefox"} browser @param {string} version */
export const manifest = (browser, version) => ({
  manifest_version: 3,
  name: "baa-conductor",
  version,
  description: "Reports your ChatGPT, Claude and Gemini replies to the local baa-conductor daemon and types its renewals into the tab.",
  icons: ICONS,
  permissions: ["storage", "alarms"],
  host_permissions: [...SITES.map((site) => site.match), "http://127.0.0.1/*", "http://localhost/*"],
  background: browser === "firefox" ? { scripts: ["background.js"] } : { service_worker: "background.js" },
  content_scripts: SITES.map((site) => ({
    matches: [site.match],
    js: [`content-${site.platform}.js`],
    run_at: "document_idle"
  })),
  action: { default_title: "baa-conductor", default_popup: "popup.html", default_icon: ICONS },
  options_ui: { page: "options.html", open_in_tab: true },
  // Firefox's MV3 default adds upgrade-insecure-requests, which would turn ws://127.0.0.1 into wss://.
  content_security_policy: { extension_pages: "script-src 'self'; object-src 'self'" },
  ...(browser === "firefox"
    ? {
        browser_specific_settings: {
          gecko: {
            id: "baa-conductor@baa-conductor.local",
            // 140 (the ESR) is the first to read data_collection_permissions.
            strict_min_version: "140.0",
            data_collection_permissions: { required: ["none"] }
          },
          gecko_android: { strict_min_version: "142.0" }
        }
      }
    : { minimum_chrome_version: "116" })
})
