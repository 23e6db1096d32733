import { Effect, ParseResult, Schema } from "effect"
import { requestId } from "./RequestId.js"

/**
 * The success envelope `{ok: true, request_id, data}` around a payload schema. Handlers return
 * the bare payload; the envelope is added when the response is encoded (and removed again by
 * the client derived from the same API), so every route answers in one shape.
 */
export const Envelope = <A, I, R>(data: Schema.Schema<A, I, R>) =>
  Schema.transformOrFail(
    Schema.Struct({ ok: Schema.Literal(true), request_id: Schema.String, data }),
    Schema.typeSchema(data),
    {
      strict: true,
      decode: (envelope) => ParseResult.succeed(envelope.data),
      encode: (payload) => Effect.map(requestId, (request_id) => ({ ok: true as const, request_id, data: payload }))
    }
  )
