import { Effect, type Scope } from "effect"
import { BaseUrl, TOKEN } from "./harness.js"

/** One Server-Sent Events block: its fields, or a comment. */
export interface Frame {
  readonly id?: string
  readonly event?: string
  readonly data?: any
  readonly comment?: string
}

export interface EventSourceReader {
  readonly status: number
  readonly headers: Headers
  /** The next frame, waiting for it; null once the stream ended. */
  readonly next: Effect.Effect<Frame | null>
  /** The next frame that is an event (comments skipped). */
  readonly nextEvent: Effect.Effect<Frame | null>
}

const parse = (block: string): Frame => {
  const frame: Record<string, unknown> = {}
  for (const line of block.split("\n")) {
    if (line.startsWith(":")) frame.comment = line.slice(1).trim()
    else {
      const at = line.indexOf(":")
      const key = line.slice(0, at)
      const value = line.slice(at + 1).replace(/^ /, "")
      frame[key] = key === "data" ? JSON.parse(value) : value
    }
  }
  return frame as Frame
}

/** A real HTTP client reading `GET /v1/events` as it streams; aborted when the scope closes. */
export const openEvents = (query = "", options: { readonly bearer?: boolean } = {}) =>
  Effect.gen(function*() {
    const base = yield* BaseUrl
    const abort = new AbortController()
    yield* Effect.addFinalizer(() => Effect.sync(() => abort.abort()))
    const response = yield* Effect.promise(() =>
      fetch(`${base}/v1/events${query}`, {
        headers: options.bearer === false ? {} : { authorization: `Bearer ${TOKEN}` },
        signal: abort.signal
      })
    )
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let buffer = ""
    const next: Effect.Effect<Frame | null> = Effect.promise(async () => {
      for (;;) {
        const end = buffer.indexOf("\n\n")
        if (end !== -1) {
          const block = buffer.slice(0, end)
          buffer = buffer.slice(end + 2)
          return parse(block)
        }
        const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }))
        if (chunk.done) return null
        buffer += decoder.decode(chunk.value, { stream: true })
      }
    })
    const nextEvent: Effect.Effect<Frame | null> = Effect.flatMap(next, (frame) =>
      frame !== null && frame.comment !== undefined ? nextEvent : Effect.succeed(frame))
    const result: EventSourceReader = { status: response.status, headers: response.headers, next, nextEvent }
    return result
  }) satisfies Effect.Effect<EventSourceReader, never, Scope.Scope | BaseUrl>
