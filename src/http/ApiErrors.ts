import * as HttpApiSchema from "@effect/platform/HttpApiSchema"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, ParseResult, Schema } from "effect"
import { requestId } from "./RequestId.js"

/** `details` of a 400: the query, path or body field that was refused. */
export const InvalidRequestDetails = Schema.Struct({ field: Schema.String })
/** `details` of a 404: what was looked for (`route` for an unknown route). */
export const NotFoundDetails = Schema.Struct({ resource: Schema.String, resource_id: Schema.String })
/** `details` of a 409: the record and the state that did not allow the action. */
export const ConflictDetails = Schema.Struct({
  resource: Schema.String,
  resource_id: Schema.String,
  status: Schema.String
})
export const PayloadTooLargeDetails = Schema.Struct({ limit_bytes: Schema.Int })
/** `details` of a 405: the methods the path answers to (also in the `Allow` header). */
export const MethodNotAllowedDetails = Schema.Struct({ allow: Schema.Array(Schema.String) })

export class InvalidRequest extends Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  message: Schema.String,
  details: InvalidRequestDetails
}) {}

export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", { message: Schema.String }) {}

export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", {
  message: Schema.String,
  details: NotFoundDetails
}) {
  static record(resource: string, resource_id: string): NotFound {
    return new NotFound({ message: `${resource} ${resource_id} was not found`, details: { resource, resource_id } })
  }
}

export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", {
  message: Schema.String,
  details: ConflictDetails
}) {}

export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", {
  message: Schema.String,
  details: PayloadTooLargeDetails
}) {}

export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()("MethodNotAllowed", {
  message: Schema.String,
  details: MethodNotAllowedDetails
}) {}

/** A bug. Its message is fixed: nothing about the failure leaks to the caller. */
export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", { message: Schema.String }) {
  static readonly instance = new InternalError({ message: "internal error; see the daemon log" })
}

interface WireShape {
  readonly ok: false
  readonly request_id: string
  readonly error: string
  readonly message: string
  readonly details?: unknown
}

const envelopeFields = (code: string, details: Schema.Schema.AnyNoContext | undefined): Schema.Struct.Fields => ({
  ok: Schema.Literal(false),
  request_id: Schema.String,
  error: Schema.Literal(code),
  message: Schema.String,
  ...(details === undefined ? {} : { details })
})

/**
 * The wire form of an error class: `{ok: false, request_id, error: <code>, message, details?}`
 * with its HTTP status. Encoding stamps the current request id; decoding (in the client)
 * rebuilds the class, so both sides share this one definition.
 */
const wire = <A extends { readonly message: string }, I>(
  self: Schema.Schema<A, I> & { readonly _tag: string },
  code: string,
  status: number,
  details?: Schema.Schema.AnyNoContext
): Schema.Schema<A, WireShape> =>
  Schema.transformOrFail(
    Schema.Struct(envelopeFields(code, details)),
    Schema.typeSchema(self),
    {
      strict: false,
      decode: (envelope) =>
        ParseResult.decodeUnknown(self)({ _tag: self._tag, message: envelope.message, details: envelope.details }),
      encode: (error) =>
        Effect.map(requestId, (request_id) => ({
          ok: false as const,
          request_id,
          error: code,
          message: error.message,
          ...(details === undefined ? {} : { details: (error as { readonly details?: unknown }).details })
        }))
    }
  ).annotations({
    ...HttpApiSchema.annotations({ status }),
    identifier: self._tag,
    description: `error "${code}"`
  }) as unknown as Schema.Schema<A, WireShape>

export const InvalidRequestWire = wire(InvalidRequest, "invalid_request", 400, InvalidRequestDetails)
export const UnauthorizedWire = wire(Unauthorized, "unauthorized", 401)
export const NotFoundWire = wire(NotFound, "not_found", 404, NotFoundDetails)
export const ConflictWire = wire(Conflict, "conflict", 409, ConflictDetails)
export const PayloadTooLargeWire = wire(PayloadTooLarge, "payload_too_large", 413, PayloadTooLargeDetails)
export const InternalErrorWire = wire(InternalError, "internal_error", 500)
export const MethodNotAllowedWire = wire(MethodNotAllowed, "method_not_allowed", 405, MethodNotAllowedDetails)

/** Errors answered outside an endpoint (unknown route, body limit, defects), in the same shape. */
export type OutsideError = NotFound | PayloadTooLarge | InternalError | Unauthorized | InvalidRequest | MethodNotAllowed

const outside: { readonly [K in OutsideError["_tag"]]: Schema.Schema<Extract<OutsideError, { _tag: K }>, WireShape> } =
  {
    NotFound: NotFoundWire,
    PayloadTooLarge: PayloadTooLargeWire,
    InternalError: InternalErrorWire,
    Unauthorized: UnauthorizedWire,
    InvalidRequest: InvalidRequestWire,
    MethodNotAllowed: MethodNotAllowedWire
  }

/** The response for an error, encoded by its wire schema with that schema's status. */
export const errorResponse = (error: OutsideError): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  const schema = outside[error._tag] as Schema.Schema<OutsideError, WireShape>
  return Schema.encode(schema)(error).pipe(
    Effect.map((body) => HttpServerResponse.unsafeJson(body, { status: HttpApiSchema.getStatusError(schema) })),
    Effect.orDie
  )
}
