import * as HttpApiMiddleware from "@effect/platform/HttpApiMiddleware"
import * as HttpApiSecurity from "@effect/platform/HttpApiSecurity"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect, Layer } from "effect"
import { ApiToken, tokenMatches } from "../services/ApiToken.js"
import { Unauthorized, UnauthorizedWire } from "./ApiErrors.js"

/** `Authorization: Bearer <token>` on every `/v1` group. */
export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("Authorization", {
  failure: UnauthorizedWire,
  security: { bearer: HttpApiSecurity.bearer }
}) {}

const refused = new Unauthorized({ message: "a valid token is required: Authorization: Bearer <token>" })

// The platform's bearer decoder slices the header blindly; the scheme is checked here instead.
const BEARER = /^Bearer +(\S+) *$/i

/** Compares in constant time and never logs the token, given or expected. */
export const layer: Layer.Layer<Authorization, never, ApiToken> = Layer.effect(
  Authorization,
  Effect.map(ApiToken, (token) =>
    Authorization.of({
      bearer: () =>
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
          const given = BEARER.exec(request.headers["authorization"] ?? "")?.[1]
          return tokenMatches(token, given) ? Effect.void : Effect.fail(refused)
        })
    }))
)
