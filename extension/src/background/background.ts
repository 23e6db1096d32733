/**
 * The background's wiring, with the browser passed in: content reports become outbox frames,
 * daemon frames are dispatched, tab events become `browser.tab_closed`. `main.ts` gives it the
 * real `browser`; nothing here runs at import time.
 */
import type { FinalMessageReport } from "../shared/messages.js"
import { Connection, type SocketLike } from "./connection.js"
import { asContentMessage } from "./contentMessages.js"
import { DeliveredPlans } from "./deliveredPlans.js"
import { routeDelivery } from "./delivery.js"
import { type AckedFrame, type DaemonFrame, PLATFORMS } from "./frames.js"
import { Outbox } from "./outbox.js"
import type { KeyValueArea, Logger, TabsPort } from "./ports.js"
import { httpBase, loadSettings, type Settings } from "./settings.js"
import { type ConnectionState, type ConnectionStatus, STATUS_KEY } from "./status.js"
import { TabTracker } from "./tabs.js"

export interface BackgroundDeps {
  readonly local: KeyValueArea
  readonly session: KeyValueArea
  readonly tabs: TabsPort
  readonly clientId: string
  readonly version: string
  readonly log: Logger
  readonly openSocket: (url: string) => SocketLike
  readonly fetch: (url: string, init: { headers: Record<string, string> }) => Promise<{ readonly status: number }>
}

const frameId = (prefix: string): string => `${prefix}-${crypto.randomUUID()}`

export const startBackground = async (deps: BackgroundDeps) => {
  const { log } = deps
  const outbox = new Outbox(deps.local, log)
  const plans = new DeliveredPlans(deps.local, log)
  await Promise.all([outbox.load(), plans.load()])
  let settings: Settings = await loadSettings(deps.local)

  const enqueue = async (frame: AckedFrame) => {
    await outbox.add(frame)
    connection.send(frame)
  }

  const onFrame = (frame: DaemonFrame) => {
    switch (frame.type) {
      case "ack":
        return void outbox.settle(frame.ref)
      case "error":
        log.warn(`baa-conductor: the daemon answered ${frame.error}: ${frame.message}`, frame)
        // The daemon refused that frame as malformed: sending it again cannot help.
        if (frame.error === "invalid_frame") void outbox.settle(frame.ref)
        return
      case "browser.proxy_delivery":
        return void routeDelivery(frame, { tabs: deps.tabs, plans, now: Date.now, log }).then((result) => {
          if (!connection.send(result)) {
            log.warn("baa-conductor: the connection dropped before the delivery result went out", result)
          }
        })
    }
  }

  const writeStatus = (state: ConnectionState, lastError: string | null) => {
    const status: ConnectionStatus = {
      state,
      daemon_url: settings.daemonUrl,
      client_id: deps.clientId,
      last_error: lastError,
      changed_at: Date.now()
    }
    deps.session.set({ [STATUS_KEY]: status }).catch((error: unknown) =>
      log.warn("baa-conductor: cannot store the status", error)
    )
  }

  const connection: Connection = new Connection({
    openSocket: deps.openSocket,
    setTimer: (f, ms) => {
      const handle = setTimeout(f, ms)
      return () => clearTimeout(handle)
    },
    random: Math.random,
    now: Date.now,
    log,
    hello: () => ({ type: "hello", client_id: deps.clientId, platforms: PLATFORMS, version: deps.version }),
    tokenRefused: async (s) =>
      (await deps.fetch(`${httpBase(s.daemonUrl)}/v1/system/state`, {
        headers: { authorization: `Bearer ${s.token}` }
      }))
        .status === 401,
    onReady: () => outbox.pending().forEach((frame) => connection.send(frame)),
    onFrame,
    onState: writeStatus
  })

  const tracker = new TabTracker(deps.session, (tab_id) => {
    enqueue({ type: "browser.tab_closed", id: frameId("tc"), tab_id }).catch((e: unknown) => log.warn(e))
  })

  const finalMessage = (report: FinalMessageReport, tabId: number) =>
    enqueue({
      type: "browser.final_message",
      id: frameId("fm"),
      platform: report.platform,
      conversation_id: report.conversation_id,
      message_id: report.message_id,
      role: "assistant",
      text: report.text,
      observed_at: report.observed_at,
      page_url: report.page_url,
      page_title: report.page_title,
      tab_id: tabId
    })

  connection.start(settings)

  return {
    outbox,
    plans,
    connection,
    /** A message from a content script; resolves once it is stored. */
    contentMessage: async (message: unknown, tabId: number | undefined): Promise<{ ok: boolean }> => {
      const report = asContentMessage(message)
      if (report === null || tabId === undefined) {
        log.warn("baa-conductor: ignoring a malformed message from a content script", message)
        return { ok: false }
      }
      await (report.kind === "page" ? tracker.page(tabId, report) : finalMessage(report, tabId))
      return { ok: true }
    },
    tabRemoved: (tabId: number) => tracker.removed(tabId),
    tabNavigated: (tabId: number, url: string) => tracker.navigated(tabId, url),
    settingsChanged: async () => {
      settings = await loadSettings(deps.local)
      connection.start(settings)
    },
    wake: () => connection.ensure()
  }
}

export type Background = Awaited<ReturnType<typeof startBackground>>
