import { Data, Either, ParseResult, Schema } from "effect"
import { CLIENT_FRAME_TYPES, ClientFrame, type FrameRef } from "../../domain/frames.js"
import { type Read, readerOf, UNREAD } from "../schema/astReader.js"
import { MAX_FRAME_DEPTH, scanFrame } from "./frameScan.js"

/** Why a text frame is not a client frame; becomes an `invalid_frame` error frame. */
export class InvalidFrame extends Data.TaggedError("InvalidFrame")<{
  readonly ref: FrameRef
  readonly message: string
  readonly field?: string | undefined
}> {}

/** A JSON object whose `type` is one of the client frames, before its fields are checked. */
export interface FrameEnvelope {
  readonly type: ClientFrame["type"]
  readonly ref: FrameRef
  readonly raw: Readonly<Record<string, unknown>>
}

const isKnownType = (u: unknown): u is ClientFrame["type"] =>
  typeof u === "string" && (CLIENT_FRAME_TYPES as ReadonlyArray<string>).includes(u)

const parseJson = Schema.decodeUnknownEither(Schema.parseJson())

/**
 * Parses the JSON and reads `id` and `type`, so errors can name the frame they answer. Nesting
 * is bounded before parsing: decoding (and describing) a value thousands of levels deep would
 * overflow the stack.
 */
export const readEnvelope = (text: string): Either.Either<FrameEnvelope, InvalidFrame> => {
  const scan = scanFrame(text)
  if (scan.depth > MAX_FRAME_DEPTH) {
    return Either.left(
      new InvalidFrame({ ref: scan.ref, message: `a frame may nest at most ${MAX_FRAME_DEPTH} levels deep` })
    )
  }
  const parsed = parseJson(text)
  if (Either.isLeft(parsed)) {
    return Either.left(
      new InvalidFrame({ ref: scan.ref, message: "a frame must be a JSON object; this text is not JSON" })
    )
  }
  const raw = parsed.right
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return Either.left(new InvalidFrame({ ref: null, message: "a frame must be a JSON object with a type" }))
  }
  const record = raw as Record<string, unknown>
  const ref = typeof record.id === "string" || typeof record.id === "number" ? record.id : null
  if (!isKnownType(record.type)) {
    return Either.left(
      new InvalidFrame({ ref, field: "type", message: `type must be one of: ${CLIENT_FRAME_TYPES.join(", ")}` })
    )
  }
  return Either.right({ type: record.type, ref, raw: record })
}

const decode = Schema.decodeUnknownEither(ClientFrame, { errors: "first", onExcessProperty: "ignore" })

// Each frame type's own member, compiled: the union's generic decode of every `action_result`
// was a visible share of a delivery. A frame the compiled reader cannot read goes through the
// union's decode, which names the bad field.
const readers = new Map<string, Read | undefined>(
  ClientFrame.members.map((member) => [member.fields.type.literals[0], readerOf(member.ast)])
)

/** Checks every field of the frame; the error names the first bad one. */
export const decodeEnvelope = (envelope: FrameEnvelope): Either.Either<ClientFrame, InvalidFrame> => {
  const read = readers.get(envelope.type)?.(envelope.raw)
  return read === undefined || read === UNREAD ? decodeSlowly(envelope) : Either.right(read as ClientFrame)
}

const decodeSlowly = (envelope: FrameEnvelope): Either.Either<ClientFrame, InvalidFrame> =>
  Either.mapLeft(decode(envelope.raw), (error) => {
    const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
    const field = issues[0]?.path.map(String).join(".")
    if (issues[0] === undefined || !field) return new InvalidFrame({ ref: envelope.ref, message: "malformed frame" })
    if (issues[0]._tag === "Missing") {
      return new InvalidFrame({ ref: envelope.ref, field, message: `${field} is required` })
    }
    const sameField = issues.filter((issue) => issue.path.map(String).join(".") === field)
    return new InvalidFrame({
      ref: envelope.ref,
      field,
      message: `${field}: ${describe(sameField.map((i) => i.message))}`
    })
  })

/** A union reports one issue per member; say it once: `Expected "a" | "b", actual "c"`. */
const describe = (messages: ReadonlyArray<string>): string => {
  const parts = messages.map((m) => /^Expected (.+), actual (.+)$/s.exec(m))
  if (messages.length < 2 || parts.some((p) => p === null)) return messages[0] ?? "invalid value"
  return `Expected ${parts.map((p) => p![1]).join(" | ")}, actual ${parts[0]![2]}`
}
