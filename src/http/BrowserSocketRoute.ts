import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import type * as Socket from "@effect/platform/Socket"
import { Context, Deferred, Effect, Fiber, FiberRef, FiberSet, Layer } from "effect"
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
    ))

/** Forks a socket's serving away from the request that upgraded it. */
type RunSocket = (effect: Effect.Effect<void>) => Fiber.RuntimeFiber<void>

/**
 * The socket is served in a fiber of the route's own, and the upgrade request ends once the
 * socket is open: a request fiber kept for the socket's life would keep its whole stack (router,
 * middleware, handler) and context, most of a connection's memory.
 */
const serveDetached = (sockets: BrowserSockets["Type"], socket: Socket.Socket, run: RunSocket) =>
  Effect.gen(function*() {
    const opened = yield* Deferred.make<void>()
    const fiber = run(
      sockets.serve(socket, Deferred.complete(opened, Effect.void)).pipe(
        Effect.ensuring(Deferred.complete(opened, Effect.void))
      )
    )
    // A client gone before the upgrade finished leaves nothing behind.
    yield* Deferred.await(opened).pipe(Effect.onInterrupt(() => Fiber.interrupt(fiber)))
  })

const handler = (request: HttpServerRequest.HttpServerRequest, run: RunSocket) =>
  Effect.gen(function*() {
    const token = yield* ApiToken
    // Checked before the upgrade, so a refused client never gets a socket.
    if (!givenTokens(request).some((given) => tokenMatches(token, given))) {
      return yield* refuse(
        401,
        "unauthorized",
        "a valid token is required (Authorization: Bearer <token> or ?token=<token>)"
      )
    }
    if ((request.headers["upgrade"] ?? "").toLowerCase() !== "websocket") {
      return yield* refuse(400, "invalid_request", "this route only accepts a WebSocket upgrade")
    }
    // The platform's socket keeps the context it was made in for the socket's life, and copies
    // it into each of its fibers: made here, it would be the request's, with every service.
    const socket = yield* request.upgrade.pipe(Effect.locally(FiberRef.currentContext, Context.empty()))
    yield* serveDetached(yield* BrowserSockets, socket, run)
    return HttpServerResponse.empty()
  }).pipe(
    Effect.catchTag("RequestError", () => refuse(400, "invalid_request", "the WebSocket upgrade failed"))
  )

/**
 * `GET /v1/browser/ws` for `HttpLayerRouter`. Its services are taken when the layer is built,
 * so they are plain layer requirements: the token, and the bridge's `BrowserSockets`.
 */
export const layer: Layer.Layer<never, never, HttpLayerRouter.HttpRouter | ApiToken | BrowserSockets> = Layer
  .unwrapScoped(
    Effect.gen(function*() {
      const context = yield* Effect.context<ApiToken | BrowserSockets>().pipe(
        Effect.map(Context.pick(ApiToken, BrowserSockets))
      )
      // Released with the routes, before the server waits for its connections: sockets close first.
      // A socket's fibers start from no services at all (BrowserSockets brings the few it needs):
      // each service added on a long-lived fiber copies its whole context, once per connection.
      const run = yield* FiberSet.make<void>().pipe(
        Effect.flatMap((set) =>
          FiberSet.runtime(set)<never>().pipe(Effect.locally(FiberRef.currentContext, Context.empty()))
        )
      )
      return HttpLayerRouter.add("GET", PATH, (request) => Effect.provide(handler(request, run), context))
    })
  )

export const BrowserSocketRoute = { layer, PATH } as const
