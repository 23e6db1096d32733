import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpApiError from "@effect/platform/HttpApiError"
import { Cause, Effect, Option } from "effect"
import { Api } from "./Api.js"
import { InvalidRequest } from "./ApiErrors.js"

/** The first refused field and what it allows, from the platform's decode error. */
export const fromDecodeError = (error: HttpApiError.HttpApiDecodeError): InvalidRequest => {
  const issue = error.issues[0]
  const field = issue !== undefined && issue.path.length > 0 ? issue.path.map(String).join(".") : "request"
  return new InvalidRequest({ message: `${field}: ${issue?.message ?? error.message}`, details: { field } })
}

/**
 * Every parameter the API's schemas refuse fails as the platform's `HttpApiDecodeError`; this
 * turns it into `InvalidRequest` before responses are encoded, so a refused query, path or
 * body value answers with the one 400 envelope, `details.field` naming it.
 */
export const layer = HttpApiBuilder.middleware(Api, (app) =>
  Effect.catchAllCause(app, (cause) => {
    const failure = Cause.failureOption(cause as Cause.Cause<unknown>)
    return Option.isSome(failure) && failure.value instanceof HttpApiError.HttpApiDecodeError
      ? Effect.fail(fromDecodeError(failure.value))
      : Effect.failCause(cause)
  }))
