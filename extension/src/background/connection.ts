/**
 * The one WebSocket to the daemon: `hello` first, a `ping` every 20 s (a Chromium service worker
 * stays alive while its socket exchanges messages within 30 s, and the daemon counts any frame
 * as a sign of life), reconnects with capped exponential backoff and jitter, and no retry loop
 * on a refused token.
 */
import { backoffDelay, type BackoffPolicy, DEFAULT_BACKOFF } from "./backoff.js"
import { type ClientFrame, type DaemonFrame, type HelloFrame, parseDaemonFrame } from "./frames.js"
import type { Logger } from "./ports.js"
import { type Settings, socketUrl } from "./settings.js"
import type { ConnectionState } from "./status.js"

export const PING_INTERVAL_MS = 20_000
/** Without any frame from the daemon for this long the socket is taken as dead. */
export const SILENCE_LIMIT_MS = 3 * PING_INTERVAL_MS
const UNAUTHORIZED = 4401
const OPEN = 1

export interface SocketLike {
  readonly readyState: number
  send(data: string): void
  close(code?: number, reason?: string): void
  onopen: ((event: unknown) => void) | null
  onmessage: ((event: { readonly data: unknown }) => void) | null
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null
  onerror: ((event: unknown) => void) | null
}

export interface ConnectionDeps {
  readonly openSocket: (url: string) => SocketLike
  /** Runs `f` after `ms`; the result cancels it. */
  readonly setTimer: (f: () => void, ms: number) => () => void
  readonly random: () => number
  readonly now: () => number
  readonly log: Logger
  readonly hello: () => HelloFrame
  /** Asks the daemon over HTTP whether it refuses the token: a refused upgrade only shows as code 1006. */
  readonly tokenRefused: (settings: Settings) => Promise<boolean>
  /** `hello_ack` arrived: frames may flow. */
  readonly onReady: () => void
  readonly onFrame: (frame: DaemonFrame) => void
  readonly onState: (state: ConnectionState, lastError: string | null) => void
  readonly backoff?: BackoffPolicy
}

export class Connection {
  private socket: SocketLike | null = null
  private settings: Settings | null = null
  /** Bumped on every (re)start so events from an old socket are ignored. */
  private generation = 0
  private attempt = 0
  private ready = false
  private lastHeard = 0
  private cancelTimers: Array<() => void> = []
  private state: ConnectionState = "connecting"

  constructor(private readonly deps: ConnectionDeps) {}

  get currentState(): ConnectionState {
    return this.state
  }

  /** (Re)connects with these settings, dropping any current socket. */
  start(settings: Settings): void {
    this.settings = settings
    this.attempt = 0
    this.teardown()
    this.open("connecting")
  }

  /** A wake-up (alarm, browser start): reconnect now if the socket is gone, unless the token was refused. */
  ensure(): void {
    if (this.settings === null || this.state === "bad_token" || this.socket !== null) return
    this.teardown()
    this.open("reconnecting")
  }

  /** Sends when `hello` was acknowledged; false otherwise (the outbox keeps what matters). */
  send(frame: ClientFrame): boolean {
    if (!this.ready || this.socket === null || this.socket.readyState !== OPEN) return false
    this.socket.send(JSON.stringify(frame))
    return true
  }

  private setState(state: ConnectionState, lastError: string | null): void {
    this.state = state
    this.deps.onState(state, lastError)
  }

  private teardown(): void {
    this.generation += 1
    this.ready = false
    this.cancelTimers.forEach((cancel) => cancel())
    this.cancelTimers = []
    const socket = this.socket
    this.socket = null
    if (socket !== null) {
      socket.onopen =
        socket.onmessage =
        socket.onclose =
        socket.onerror =
          null
      socket.close(1000, "reconnecting")
    }
  }

  private open(state: ConnectionState): void {
    const settings = this.settings
    if (settings === null) return
    if (settings.token === "") return this.setState("bad_token", "no token set: paste it in the options")
    this.setState(state, null)
    const generation = this.generation
    let socket: SocketLike
    try {
      socket = this.deps.openSocket(socketUrl(settings))
    } catch (error) {
      return this.scheduleReconnect(`cannot open ${settings.daemonUrl}: ${String(error)}`)
    }
    this.socket = socket
    socket.onopen = () => {
      if (generation !== this.generation) return
      this.lastHeard = this.deps.now()
      socket.send(JSON.stringify(this.deps.hello()))
    }
    socket.onmessage = (event) => {
      if (generation === this.generation) this.receive(event.data)
    }
    socket.onerror = () => {}
    socket.onclose = (event) => {
      if (generation === this.generation) void this.closed(event.code, settings)
    }
  }

  private receive(data: unknown): void {
    this.lastHeard = this.deps.now()
    const parsed = parseDaemonFrame(data)
    if (!parsed.ok) {
      return this.deps.log.warn("baa-conductor: ignoring a malformed frame from the daemon:", parsed.problem)
    }
    const frame = parsed.frame
    if (frame.type === "hello_ack") {
      this.ready = true
      this.attempt = 0
      this.setState("connected", null)
      this.schedulePing()
      this.deps.onReady()
    } else if (frame.type !== "pong") {
      this.deps.onFrame(frame)
    }
  }

  private schedulePing(): void {
    const generation = this.generation
    this.cancelTimers.push(
      this.deps.setTimer(() => {
        if (generation !== this.generation) return
        if (this.deps.now() - this.lastHeard > SILENCE_LIMIT_MS) {
          this.deps.log.warn("baa-conductor: the daemon went silent; reconnecting")
          this.socket?.close(4000, "silent")
          return
        }
        this.send({ type: "ping" })
        this.schedulePing()
      }, PING_INTERVAL_MS)
    )
  }

  private async closed(code: number, settings: Settings): Promise<void> {
    const wasReady = this.ready
    const generation = this.generation
    this.teardown()
    if (code === UNAUTHORIZED) return this.setState("bad_token", "the daemon refused the token (4401)")
    // A refused upgrade (401) and a daemon that is down both look like 1006 here: ask over HTTP.
    if (!wasReady && (await this.deps.tokenRefused(settings).catch(() => false))) {
      if (this.generation === generation + 1) this.setState("bad_token", "the daemon refused the token (401)")
      return
    }
    if (this.generation === generation + 1) this.scheduleReconnect(`connection closed (code ${code})`)
  }

  private scheduleReconnect(lastError: string): void {
    const delay = backoffDelay(this.attempt, this.deps.random(), this.deps.backoff ?? DEFAULT_BACKOFF)
    this.attempt += 1
    this.setState("reconnecting", lastError)
    const generation = this.generation
    this.cancelTimers.push(
      this.deps.setTimer(() => {
        if (generation === this.generation) this.open("reconnecting")
      }, delay)
    )
  }
}
