import { ApiError, get } from "./api.js"
import type { LiveEvent } from "./types.js"

/** Every type of `GET /v1/events`; each is listened to by name, as the stream names them. */
export const EVENT_TYPES = [
  "message.stored",
  "message.decided",
  "job.updated",
  "conversation.updated",
  "client.updated",
  "system.updated",
  "runner.tick"
] as const

/** A pseudo-event after a reconnection (events may have been missed) and every poll while offline. */
export const RESYNC = "resync"

export type LiveStatus = "connecting" | "live" | "reconnecting"

type Listener = (event: LiveEvent) => void
const listeners = new Set<Listener>()
const statusListeners = new Set<(status: LiveStatus) => void>()
let status: LiveStatus = "connecting"
let source: EventSource | null = null
let retryTimer: ReturnType<typeof setTimeout> | undefined
let pollTimer: ReturnType<typeof setInterval> | undefined
let failures = 0
let everOpen = false

/** While the stream is down the views still refresh, at this pace. */
const POLL_MS = 5000
const MAX_BACKOFF_MS = 15_000

export const subscribe = (listener: Listener): () => void => {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export const currentStatus = (): LiveStatus => status
export const onStatus = (listener: (status: LiveStatus) => void): () => void => {
  statusListeners.add(listener)
  return () => statusListeners.delete(listener)
}

const emit = (event: LiveEvent) => {
  for (const listener of listeners) listener(event)
}
const resync = () => emit({ type: RESYNC, seq: -1, at: Date.now() })

const setStatus = (next: LiveStatus) => {
  status = next
  if (next === "live") {
    clearInterval(pollTimer)
    pollTimer = undefined
  } else if (pollTimer === undefined) pollTimer = setInterval(resync, POLL_MS)
  for (const listener of statusListeners) listener(next)
}

/** The stream was closed for good (an HTTP error, or the daemon dropped a slow page): check the token, then try again later. */
const closed = (token: string) => {
  source?.close()
  source = null
  setStatus("reconnecting")
  failures += 1
  const delay = Math.min(MAX_BACKOFF_MS, 500 * 2 ** Math.min(failures, 5))
  retryTimer = setTimeout(() => {
    get("/v1/system/state").then(
      () => open(token),
      // A refused token has signed the page out already (see `call`): nothing to reopen.
      (error: unknown) => (error instanceof ApiError && error.status === 401 ? undefined : open(token))
    )
  }, delay)
}

const open = (token: string) => {
  const stream = new EventSource(`/v1/events?token=${encodeURIComponent(token)}`)
  source = stream
  stream.onopen = () => {
    failures = 0
    setStatus("live")
    if (everOpen) resync()
    everOpen = true
  }
  // CONNECTING means the browser retries by itself; CLOSED means it gave up.
  stream.onerror = () => {
    if (stream.readyState === EventSource.CLOSED) closed(token)
    else setStatus("reconnecting")
  }
  for (const type of EVENT_TYPES) {
    stream.addEventListener(type, (message) => {
      try {
        emit(JSON.parse((message as MessageEvent<string>).data) as LiveEvent)
      } catch {
        // A line that is not JSON is not ours to show; the next event or resync catches up.
      }
    })
  }
}

/** Opens the stream once the token is known; `stop` on sign-out. */
export const start = (token: string): void => {
  stop()
  everOpen = false
  setStatus("connecting")
  open(token)
}

export const stop = (): void => {
  source?.close()
  source = null
  clearTimeout(retryTimer)
  clearInterval(pollTimer)
  pollTimer = undefined
  failures = 0
}
