import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Deferred, Effect, Layer, Schedule, Stream } from "effect"
import { ApiToken, tokenMatches } from "../services/ApiToken.js"
import { type ConductorEvent, EVENT_TYPES, Events, type EventType } from "../services/Events.js"
import { givenTokens, refuse } from "./BrowserSocketRoute.js"
import { requestId } from "./RequestId.js"
import { toJobView } from "./Views.js"

export const PATH = "/v1/events"
export const KEEPALIVE_MS = 15_000

/** One SSE frame; `data` is `{type, seq, at, ...payload}` with a job shown as `GET /v1/renewal/jobs/:id` does. */
export const frameOf = (event: ConductorEvent): string => {
  const { at, seq, type, ...payload } = event
  const wire = "job" in payload ? { ...payload, job: toJobView(payload.job) } : payload
  return `id: ${seq}\nevent: ${type}\ndata: ${JSON.stringify({ type, seq, at, ...wire })}\n\n`
}

/** `?types=a,b`: the types asked for, or null for all; refused when one is unknown. */
const typesOf = (request: HttpServerRequest.HttpServerRequest): ReadonlySet<EventType> | null | "invalid" => {
  const raw = new URL(request.url, "http://localhost").searchParams.get("types")
  if (raw === null || raw.trim() === "") return null
  const asked = raw.split(",").map((type) => type.trim()).filter((type) => type !== "")
  return asked.every((type) => (EVENT_TYPES as ReadonlyArray<string>).includes(type))
    ? new Set(asked as Array<EventType>)
    : "invalid"
}

const invalidTypes = Effect.map(requestId, (request_id) =>
  HttpServerResponse.unsafeJson(
    {
      ok: false,
      request_id,
      error: "invalid_request",
      message: `types: must be a comma-separated list of ${EVENT_TYPES.join(", ")}`,
      details: { field: "types" }
    },
    { status: 400 }
  ))

const keepalive = Stream.fromSchedule(Schedule.spaced(KEEPALIVE_MS)).pipe(Stream.as(": keepalive\n\n"))

/**
 * `GET /v1/events`: the token first (bearer or `?token=`, as EventSource cannot set headers),
 * then a stream of events. The subscription is taken before the first byte (a `: connected`
 * comment), so a client that has read it misses nothing published after. The stream ends when
 * this client falls too far behind, or when the daemon stops.
 */
export const layer: Layer.Layer<never, never, HttpLayerRouter.HttpRouter | ApiToken> = Layer.unwrapScoped(
  Effect.gen(function*() {
    const token = yield* ApiToken
    const events = yield* Events
    // Open streams would keep the server from closing: they end when the routes are released.
    const closing = yield* Deferred.make<void>()
    yield* Effect.addFinalizer(() => Deferred.succeed(closing, undefined))

    const handler = (request: HttpServerRequest.HttpServerRequest) =>
      Effect.gen(function*() {
        if (!givenTokens(request).some((given) => tokenMatches(token, given))) {
          return yield* refuse(
            401,
            "unauthorized",
            "a valid token is required (Authorization: Bearer <token> or ?token=<token>)"
          )
        }
        const types = typesOf(request)
        if (types === "invalid") return yield* invalidTypes
        const body = Stream.unwrapScoped(
          Effect.map(events.subscribe, (stream) =>
            Stream.concat(
              Stream.make(": connected\n\n"),
              Stream.merge(
                stream.pipe(Stream.filter((event) => types === null || types.has(event.type)), Stream.map(frameOf)),
                keepalive,
                { haltStrategy: "left" }
              )
            ))
        ).pipe(Stream.interruptWhen(Deferred.await(closing)), Stream.encodeText)
        return HttpServerResponse.stream(body, {
          contentType: "text/event-stream",
          headers: { "cache-control": "no-cache", "x-accel-buffering": "no" }
        })
      })

    return HttpLayerRouter.add("GET", PATH, handler)
  })
)
