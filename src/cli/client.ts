import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpApiClient from "@effect/platform/HttpApiClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Data, Effect, ParseResult, Redacted } from "effect"
import { Api } from "../http/Api.js"
import { type Connection, tokenFor } from "./connection.js"

/** The daemon refused the request or could not be asked; `message` is what the operator reads. */
export class ApiFailure extends Data.TaggedError("ApiFailure")<{ readonly message: string }> {}

const makeClient = (baseUrl: string, token: Redacted.Redacted<string>) =>
  HttpApiClient.make(Api, {
    baseUrl,
    transformClient: HttpClient.mapRequest(HttpClientRequest.bearerToken(Redacted.value(token)))
  })

export type ApiClient = Effect.Effect.Success<ReturnType<typeof makeClient>>

const describe = (url: string, error: unknown): string => {
  if (ParseResult.isParseError(error)) {
    // A value refused before sending: worded like the daemon's own 400.
    const issue = ParseResult.ArrayFormatter.formatErrorSync(error)[0]
    return issue === undefined ? error.message : `${issue.path.map(String).join(".") || "request"}: ${issue.message}`
  }
  if (error instanceof HttpClientError.RequestError) return `cannot reach the daemon at ${url} (${error.reason})`
  if (error instanceof HttpClientError.ResponseError) {
    return `unexpected answer from the daemon at ${url}: ${error.message}`
  }
  return error instanceof Error ? error.message : String((error as { readonly message?: unknown }).message ?? error)
}

/**
 * Runs `f` with a client derived from the same API definition as the server; any failure,
 * typed (the API's own message) or transport, becomes one `ApiFailure`.
 */
export const withClient = <A, E>(connection: Connection, f: (client: ApiClient) => Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const token = yield* tokenFor(connection)
    const baseUrl = connection.url.replace(/\/+$/, "")
    const client = yield* makeClient(baseUrl, token)
    return yield* f(client).pipe(Effect.mapError((error) => new ApiFailure({ message: describe(baseUrl, error) })))
  }).pipe(Effect.provide(FetchHttpClient.layer))
