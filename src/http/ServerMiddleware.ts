import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpMethod from "@effect/platform/HttpMethod"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Cause, Effect, Option, Stream } from "effect"
import { ApiToken } from "../services/ApiToken.js"
import { errorResponse, InternalError, NotFound, PayloadTooLarge } from "./ApiErrors.js"
import * as AuthGate from "./AuthGate.js"
import { allowedMethods, methodNotAllowed } from "./MethodNotAllowed.js"
import { currentRequestId, fromHeader, HEADER } from "./RequestId.js"

/** Request bodies above this are refused with 413 before any handler runs. */
export const MAX_BODY_BYTES = 1024 * 1024

const tooLarge = new PayloadTooLarge({
  message: `request body over ${MAX_BODY_BYTES} bytes`,
  details: { limit_bytes: MAX_BODY_BYTES }
})

const declaredLength = (request: HttpServerRequest.HttpServerRequest): number | null => {
  const header = request.headers["content-length"]
  return header === undefined || !/^\d+$/.test(header) ? null : Number(header)
}

// A chunked body has no declared length: it is counted while drained, so the socket stays
// usable for the 413 and nothing is held in memory. No route here reads a body.
const bodyFits = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<boolean> => {
  const length = declaredLength(request)
  if (length !== null) return Effect.succeed(length <= MAX_BODY_BYTES)
  if (request.headers["transfer-encoding"] === undefined) return Effect.succeed(true)
  return request.stream.pipe(
    Stream.runFold(0, (total, chunk) => total + chunk.length),
    Effect.map((total) => total <= MAX_BODY_BYTES),
    Effect.orElseSucceed(() => false)
  )
}

const routeNotFound = (request: HttpServerRequest.HttpServerRequest) =>
  new NotFound({
    message: `no route for ${request.method} ${request.url.split("?")[0]}`,
    details: { resource: "route", resource_id: `${request.method} ${request.url.split("?")[0]}` }
  })

/** Whatever escaped the API (unknown route, a defect) still gets an envelope; defects are logged. */
const recover = (request: HttpServerRequest.HttpServerRequest) => (cause: Cause.Cause<unknown>) => {
  if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause)
  if (Option.exists(Cause.failureOption(cause), (error) => error instanceof HttpServerError.RouteNotFound)) {
    const allow = allowedMethods(request.url)
    if (allow.length === 0) return errorResponse(routeNotFound(request))
    return errorResponse(methodNotAllowed(request.method, request.url, allow)).pipe(
      Effect.map(HttpServerResponse.setHeader("allow", allow.join(", ")))
    )
  }
  return Effect.logError("Http.request", cause).pipe(
    Effect.annotateLogs({ method: request.method, url: request.url.split("?")[0] }),
    Effect.zipRight(errorResponse(InternalError.instance))
  )
}

/**
 * Around every route: one request id (the caller's `x-request-id` or a new one) shared by the
 * header and the envelope, the token on every `/v1` path before anything else, the 1 MiB body
 * limit, and an envelope for whatever no route answered (405 with `Allow` for a known path).
 */
export const layer = HttpLayerRouter.middleware<{ handles: unknown }>()(
  Effect.map(ApiToken, (token) => (app) => {
    // Built once, not per request. Only a method that carries a body can have one read, so
    // only those pay for the limit's context (a copy of every service the daemon holds).
    const limited = app.pipe(HttpIncomingMessage.withMaxBodySize(Option.some(MAX_BODY_BYTES)))
    const answer = (request: HttpServerRequest.HttpServerRequest) => {
      if (!AuthGate.admits(token, request)) return errorResponse(AuthGate.refused)
      const routed = Effect.catchAllCause(HttpMethod.hasBody(request.method) ? limited : app, recover(request))
      return Effect.flatMap(bodyFits(request), (fits) => fits ? routed : errorResponse(tooLarge))
    }
    return Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (request) =>
        Effect.flatMap(fromHeader(request.headers[HEADER]), (id) =>
          Effect.map(
            Effect.locally(answer(request), currentRequestId, id),
            // A route that answered with its own id (the bridge's refusal) keeps it, so header and body agree.
            (response) =>
              response.headers[HEADER] === undefined ? HttpServerResponse.setHeader(response, HEADER, id) : response
          ))
    )
  }),
  { global: true }
)
