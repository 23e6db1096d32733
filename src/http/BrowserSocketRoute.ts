import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Layer } from "effect"
import { sortableId } from "../domain/index.js"
import { ApiToken, tokenMatches } from "../services/ApiToken.js"
import { BrowserSockets } from "../services/BrowserSockets.js"

export const PATH = "/v1/browser/ws"

/** Browsers cannot set headers on a WebSocket, so the token may also come as `?token=`. */
export const givenTokens = (request: HttpServerRequest.HttpServerRequest): ReadonlyArray<string> => {
  const query = new URL(request.url, "http://localhost").searchParams.get("token")
  const bearer = /^Bearer\s+(.+)$/i.exec(request.headers["authorization"] ?? "")?.[1]?.trim()
  return [query, bearer].filter((t): t is string => t != null && t !== "")
}

export const refuse = (status: number, error: string, message: string) =>
  Effect.map(sortableId("req_"), (request_id) =>
    HttpServerResponse.unsafeJson(
      { ok: false, request_id, error, message },
      { status, headers: { "x-request-id": request_id, ...(status === 401 ? { "www-authenticate": "Bearer" } : {}) } }
    )
  )

const handler = (request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function* () {
    const token = yield* ApiToken
    // Checked before the upgrade, so a refused client never gets a socket.
    if (!givenTokens(request).some((given) => tokenMatches(token, given))) {
      return yield* refuse(401, "unauthorized", "a valid token is required (Authorization: Bearer <token> or ?token=<token>)")
    }
    if ((request.headers["upgrade"] ?? "").toLowerCase() !== "websocket") {
      return yield* refuse(400, "invalid_request", "this route only accepts a WebSocket upgrade")
    }
    const socket = yield* request.upgrade
    yield* (yield* BrowserSockets).serve(socket)
    return HttpServerResponse.empty()
  }).pipe(
    Effect.catchTag("RequestError", () => refuse(400, "invalid_request", "the WebSocket upgrade failed"))
  )

/**
 * `GET /v1/browser/ws` for `HttpLayerRouter`. Its services are taken when the layer is built,
 * so they are plain layer requirements: the token, and the bridge's `BrowserSockets`.
 */
export const layer: Layer.Layer<never, never, HttpLayerRouter.HttpRouter | ApiToken | BrowserSockets> = Layer.unwrapEffect(
  Effect.map(
    Effect.context<ApiToken | BrowserSockets>(),
    (context) => HttpLayerRouter.add("GET", PATH, (request) => Effect.provide(handler(request), context))
  )
)

export const BrowserSocketRoute = { layer, PATH } as const
