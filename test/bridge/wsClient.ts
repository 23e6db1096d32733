import { Effect } from "effect"
import WebSocket from "ws"

export type Frame = Record<string, any>

export interface Closed {
  readonly code: number
  readonly reason: string
}

/**
 * A real `ws` client for tests: frames are buffered as they arrive, and every wait is on an
 * event (a frame, the close), never on time.
 */
export class TestClient {
  private readonly buffered: Array<Frame> = []
  private readonly waiting: Array<(frame: Frame) => void> = []
  readonly closed: Promise<Closed>

  private constructor(readonly socket: WebSocket) {
    socket.on("message", (data) => {
      const frame = JSON.parse(data.toString()) as Frame
      const waiter = this.waiting.shift()
      if (waiter) waiter(frame)
      else this.buffered.push(frame)
    })
    this.closed = new Promise((resolve) =>
      socket.on("close", (code, reason) => resolve({ code, reason: reason.toString() }))
    )
  }

  static open(url: string, headers: Record<string, string> = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { headers })
      socket.once("open", () => resolve(new TestClient(socket)))
      socket.once("unexpected-response", (_req, res) => {
        let body = ""
        res.on("data", (chunk) => (body += chunk))
        res.on("end", () => reject(new RefusedUpgrade(res.statusCode ?? 0, JSON.parse(body), res.headers)))
      })
      socket.once("error", reject)
    })
  }

  next(): Promise<Frame> {
    const frame = this.buffered.shift()
    if (frame) return Promise.resolve(frame)
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  send(frame: unknown): void {
    this.socket.send(typeof frame === "string" ? frame : JSON.stringify(frame))
  }

  close(): Promise<Closed> {
    this.socket.close(1000)
    return this.closed
  }
}

export class RefusedUpgrade extends Error {
  constructor(
    readonly status: number,
    readonly body: Frame,
    readonly headers: Record<string, unknown>
  ) {
    super(`upgrade refused with ${status}`)
  }
}

/** Effect views of the client, closed with the test's scope. */
export const connect = (url: string, headers: Record<string, string> = {}) =>
  Effect.acquireRelease(
    Effect.promise(() => TestClient.open(url, headers)),
    (client) => Effect.sync(() => client.socket.terminate())
  )

export const next = (client: TestClient) => Effect.promise(() => client.next())
export const send = (client: TestClient, frame: unknown) => Effect.sync(() => client.send(frame))
/** Sends a frame and waits for the one answer to it. */
export const request = (client: TestClient, frame: unknown) => Effect.zipRight(send(client, frame), next(client))
export const closed = (client: TestClient) => Effect.promise(() => client.closed)

export const refusal = (url: string, headers: Record<string, string> = {}) =>
  Effect.promise(() =>
    TestClient.open(url, headers).then(
      (client) => {
        client.socket.terminate()
        throw new Error("expected the upgrade to be refused")
      },
      (error: unknown) => {
        if (error instanceof RefusedUpgrade) return error
        throw error
      }
    )
  )
