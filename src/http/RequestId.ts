import { Effect, FiberRef, GlobalValue } from "effect"
import { sortableId } from "../domain/index.js"

/**
 * The id of the request being served. Set once per request by the server middleware and read
 * when a response is encoded, so the envelope's `request_id` and the `x-request-id` header agree
 * without every handler passing the id around.
 */
export const currentRequestId: FiberRef.FiberRef<string> = GlobalValue.globalValue(
  Symbol.for("baa-conductor/http/currentRequestId"),
  () => FiberRef.unsafeMake("")
)

export const requestId: Effect.Effect<string> = FiberRef.get(currentRequestId)

export const HEADER = "x-request-id"

// Printable ASCII without spaces: safe to echo back in a header and in logs.
const ACCEPTED = /^[\x21-\x7e]{1,128}$/

/** The caller's `x-request-id` when it is a sane token, else a fresh sortable id. */
export const fromHeader = (header: string | undefined): Effect.Effect<string> =>
  header !== undefined && ACCEPTED.test(header) ? Effect.succeed(header) : sortableId("req_")
