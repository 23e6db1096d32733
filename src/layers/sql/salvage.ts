import { Either, ParseResult, Schema } from "effect"
import {
  CORRUPT_RECORD,
  type JobId,
  type LocalConversationId,
  Message,
  type MessageId,
  type RemoteConversationId,
  type RenewalJob
} from "../../domain/index.js"
import { decodeJobRow } from "./jobRowReader.js"
import { JobRow } from "./rows.js"

/**
 * A row as the database gives it, before any decoding. Only checked to be an object: a
 * `Schema.Record` would copy every column of every row through the generic decoder first.
 */
export const RawRow = Schema.declare(
  (u: unknown): u is { readonly [column: string]: unknown } => typeof u === "object" && u !== null && !Array.isArray(u),
  { identifier: "RawRow" }
)
export type RawRow = typeof RawRow.Type

/** A job row that does not decode: what could be read of it, and why the rest could not. */
export interface CorruptJob {
  readonly job: RenewalJob
  readonly issues: string
}

const issuesOf = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error)
    .map((issue) => `${issue.path.join(".")}: ${issue.message}`)
    .join("; ")

const text = (value: unknown) => (typeof value === "string" && value !== "" ? value : String(value ?? "?"))

// What a field shows when its column cannot be read: empty, unknown, or the safest value.
const fallbacks: { readonly [K in keyof RenewalJob]: (raw: RawRow) => RenewalJob[K] } = {
  job_id: (raw) => text(raw["job_id"]) as JobId,
  local_conversation_id: (raw) => text(raw["local_conversation_id"]) as LocalConversationId,
  message_id: (raw) => text(raw["message_id"]) as MessageId,
  status: () => "failed",
  payload_kind: () => "text",
  payload: () => "",
  target_snapshot: () => null,
  attempt_count: () => 0,
  max_attempts: () => 1,
  next_attempt_at: () => null,
  last_attempt_at: () => null,
  last_error: () => null,
  log_path: () => null,
  started_at: () => null,
  finished_at: () => null,
  created_at: () => 0,
  updated_at: () => 0
}

/** Each field that decodes on its own, and the fallback for each that does not. */
const salvage = (raw: RawRow): RenewalJob => {
  const fields = JobRow.fields as Record<string, Schema.Schema<unknown, unknown>>
  const job = Object.fromEntries(
    Object.entries(fallbacks).map(([key, fallback]) => [
      key,
      Either.getOrElse(Schema.decodeUnknownEither(fields[key]!)(raw[key]), () => fallback(raw))
    ])
  ) as unknown as RenewalJob
  return { ...job, last_error: CORRUPT_RECORD }
}

/** The job, or what could be read of it, marked `corrupt_record`. */
export const readJob = (raw: RawRow): Either.Either<RenewalJob, CorruptJob> =>
  Either.mapLeft(decodeJobRow(raw), (error) => ({ job: salvage(raw), issues: issuesOf(error) }))

/** What a list shows: every job, the unreadable ones as far as they could be read. */
export const readJobs = (rows: ReadonlyArray<RawRow>): ReadonlyArray<RenewalJob> =>
  rows.map((raw) => Either.getOrElse(readJob(raw), (corrupt) => corrupt.job))

const decodeMessage = Schema.decodeUnknownEither(Message)

/**
 * A message row that does not decode comes back as its `seq` and id, marked `corrupt`, so the
 * projector can skip it and move its cursor past it instead of stalling on it.
 */
export const readMessages = (rows: ReadonlyArray<RawRow>) => {
  const corrupt: Array<{ readonly seq: unknown; readonly id: unknown; readonly issues: string }> = []
  const messages = rows.map((raw): Message =>
    Either.getOrElse(decodeMessage(raw), (error) => {
      corrupt.push({ seq: raw["seq"], id: raw["id"], issues: issuesOf(error) })
      return {
        id: text(raw["id"]) as MessageId,
        platform: "unknown",
        conversation_id: text(raw["conversation_id"]) as RemoteConversationId,
        role: "system",
        raw_text: "",
        observed_at: 0,
        received_at: null,
        seq: Number(raw["seq"]),
        corrupt: true
      }
    })
  )
  return { messages, corrupt }
}
