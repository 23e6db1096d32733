// @vitest-environment happy-dom
/**
 * The dashboard's event stream: names the token in the URL, passes events on, reconnects with
 * backoff when the browser gives up, resyncs the views after a reconnection and polls while
 * down, and asks for the token again when the daemon refuses it. Fake timers drive the delays.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest"

class FakeSource {
  static readonly CONNECTING = 0
  static readonly OPEN = 1
  static readonly CLOSED = 2
  static all: Array<FakeSource> = []
  readyState = FakeSource.CONNECTING
  onopen: (() => void) | null = null
  onerror: (() => void) | null = null
  closed = false
  readonly listeners = new Map<string, (message: { data: string }) => void>()
  constructor(readonly url: string) {
    FakeSource.all.push(this)
  }
  addEventListener(type: string, listener: (message: { data: string }) => void) {
    this.listeners.set(type, listener)
  }
  close() {
    this.closed = true
    this.readyState = FakeSource.CLOSED
  }
  open() {
    this.readyState = FakeSource.OPEN
    this.onopen?.()
  }
  fail(readyState: number) {
    this.readyState = readyState
    this.onerror?.()
  }
  send(type: string, payload: Record<string, unknown>) {
    this.listeners.get(type)?.({ data: JSON.stringify({ type, ...payload }) })
  }
}

const latest = () => FakeSource.all.at(-1)!
let answer = 200

const loadLive = async () => {
  vi.resetModules()
  const live = await import("../../../dashboard/src/live.js")
  const api = await import("../../../dashboard/src/api.js")
  const seen: Array<string> = []
  live.subscribe((event) => seen.push(event.type))
  return { live, api, seen }
}

beforeEach(() => {
  vi.useFakeTimers()
  FakeSource.all = []
  answer = 200
  sessionStorage.setItem("baa-conductor.token", "tok en")
  vi.stubGlobal("EventSource", FakeSource)
  vi.stubGlobal(
    "fetch",
    vi.fn(async () => ({
      status: answer,
      json: async () => (answer === 200 ? { ok: true, data: {} } : { ok: false, error: "unauthorized", message: "no" })
    }))
  )
})

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  sessionStorage.clear()
})

describe("the live event stream", () => {
  it("opens /v1/events with the token in the query and passes each event on", async () => {
    const { live, seen } = await loadLive()
    live.start("tok en")
    expect(latest().url).toBe("/v1/events?token=tok%20en")
    expect(live.currentStatus()).toBe("connecting")
    latest().open()
    expect(live.currentStatus()).toBe("live")
    latest().send("job.updated", { seq: 1, at: 5, job: { job_id: "job_1" } })
    latest().send("system.updated", { seq: 2, at: 6, state: {} })
    expect(seen).toEqual(["job.updated", "system.updated"])
    live.stop()
  })

  it("resyncs after the browser's own reconnection, and polls while it is down", async () => {
    const { live, seen } = await loadLive()
    live.start("t")
    latest().open()
    latest().fail(FakeSource.CONNECTING)
    expect(live.currentStatus()).toBe("reconnecting")
    await vi.advanceTimersByTimeAsync(5000)
    expect(seen).toEqual(["resync"])
    latest().open()
    expect(seen).toEqual(["resync", "resync"])
    await vi.advanceTimersByTimeAsync(20_000)
    expect(seen).toHaveLength(2)
    expect(FakeSource.all).toHaveLength(1)
    live.stop()
  })

  it("opens a new stream with growing delays when the browser gives up", async () => {
    const { live } = await loadLive()
    live.start("t")
    latest().fail(FakeSource.CLOSED)
    await vi.advanceTimersByTimeAsync(999)
    expect(FakeSource.all).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSource.all).toHaveLength(2)
    latest().fail(FakeSource.CLOSED)
    await vi.advanceTimersByTimeAsync(1999)
    expect(FakeSource.all).toHaveLength(2)
    await vi.advanceTimersByTimeAsync(1)
    expect(FakeSource.all).toHaveLength(3)
    latest().open()
    expect(live.currentStatus()).toBe("live")
    live.stop()
  })

  it("asks for the token again when the daemon refuses it", async () => {
    const { live, api } = await loadLive()
    const signedOut = vi.fn()
    api.onSignedOut(signedOut)
    live.start("t")
    answer = 401
    latest().fail(FakeSource.CLOSED)
    await vi.advanceTimersByTimeAsync(1000)
    expect(signedOut).toHaveBeenCalledOnce()
    expect(sessionStorage.getItem("baa-conductor.token")).toBeNull()
    expect(FakeSource.all).toHaveLength(1)
    live.stop()
  })
})
