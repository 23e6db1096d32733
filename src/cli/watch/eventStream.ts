import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Chunk, Console, Effect, Option, Redacted, Stream } from "effect"
import { ApiFailure } from "../client.js"

/** An event as it comes off the wire: `{type, seq, at, ...payload}`. */
export interface WireEvent {
  readonly type: string
  readonly seq: number
  readonly at: number
  readonly [field: string]: unknown
}

/**
 * Server-Sent Events lines to events: `data:` lines gather until a blank line ends the event;
 * comments (`: keepalive`) and the other fields are skipped.
 */
export const parseLines = (lines: Stream.Stream<string, ApiFailure>): Stream.Stream<WireEvent, ApiFailure> =>
  lines.pipe(
    Stream.mapAccum([] as ReadonlyArray<string>, (data, line) => {
      if (line === "") return [[], data.length === 0 ? Option.none<string>() : Option.some(data.join("\n"))] as const
      if (line.startsWith("data:")) return [[...data, line.slice(5).replace(/^ /, "")], Option.none<string>()] as const
      return [data, Option.none<string>()] as const
    }),
    Stream.filterMap((data) => data),
    Stream.mapEffect((data) =>
      Effect.try({
        try: () => JSON.parse(data) as WireEvent,
        catch: () => new ApiFailure({ message: `unreadable event from the daemon: ${data.slice(0, 80)}` })
      })
    )
  )

/** A refusal is final; anything else (daemon down, stream ended) is worth connecting again. */
export class Refused extends ApiFailure {}

/** One connection to `GET /v1/events`, as a stream that ends when the daemon ends it. */
export const connect = (baseUrl: string, token: Redacted.Redacted<string>, types: ReadonlyArray<string>) =>
  Stream.unwrapScoped(
    Effect.gen(function*() {
      const client = yield* HttpClient.HttpClient
      const request = HttpClientRequest.get(`${baseUrl}/v1/events`).pipe(
        HttpClientRequest.bearerToken(Redacted.value(token)),
        HttpClientRequest.setHeader("accept", "text/event-stream"),
        types.length === 0 ? (r) => r : HttpClientRequest.setUrlParam("types", types.join(","))
      )
      const response = yield* client.execute(request).pipe(
        Effect.mapError((error) =>
          new ApiFailure({ message: `cannot reach the daemon at ${baseUrl} (${error.message})` })
        )
      )
      if (response.status === 401 || response.status === 400) {
        const body = yield* response.json.pipe(Effect.orElseSucceed(() => ({})))
        const message = (body as { readonly message?: unknown }).message
        return yield* new Refused({ message: typeof message === "string" ? message : `HTTP ${response.status}` })
      }
      const lines = response.stream.pipe(
        Stream.decodeText(),
        Stream.splitLines,
        Stream.mapError((error) => new ApiFailure({ message: `the event stream broke (${error.message})` })),
        // The daemon's first comment says the subscription is in place: nothing after it is missed.
        Stream.tap((line) => line === ": connected" ? Console.error(`watching ${baseUrl}/v1/events`) : Effect.void)
      )
      return parseLines(lines)
    })
  ).pipe(Stream.mapChunks((chunk) => Chunk.filter(chunk, (event) => typeof event.type === "string")))
