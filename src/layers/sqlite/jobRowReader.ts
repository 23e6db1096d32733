import { Either, type ParseResult, Schema } from "effect"
import { type RenewalJob, TargetSnapshot } from "../../domain/index.js"
import { checkOf } from "./columnGuard.js"
import { JobRow } from "./rows.js"

const decodeRow = Schema.decodeUnknownEither(JobRow)
const decodeSnapshot = Schema.decodeUnknownEither(TargetSnapshot)

type Field = { readonly key: string; readonly check: ((value: unknown) => boolean) | undefined }

// Every column but the snapshot is a plain value with at most a refinement: one `typeof` and
// the refinement's own predicate each. The schema's field order is the output's key order.
const fields: ReadonlyArray<Field> = Object.entries(JobRow.fields).map(([key, schema]) => ({
  key,
  check: key === "target_snapshot" ? undefined : checkOf(schema.ast)
}))
const compiled = fields.every((f) => f.key === "target_snapshot" || f.check !== undefined)

const hasOwn = (row: object, key: string) => Object.prototype.hasOwnProperty.call(row, key)

type Snapshot = NonNullable<RenewalJob["target_snapshot"]>

// A job's outcome returns the snapshot its claim just decoded: the last few decoded, by their
// text, are kept (decoded values are never changed, so sharing one is safe). Bounded by
// starting afresh when full.
const SNAPSHOTS_KEPT = 256
const snapshots = new Map<string, Snapshot>()

/** The snapshot column decoded, or undefined where only the full decode can say what is wrong. */
const snapshotOf = (text: unknown): Snapshot | null | undefined => {
  if (text === null) return null
  if (typeof text !== "string") return undefined
  const known = snapshots.get(text)
  if (known !== undefined) return known
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    return undefined
  }
  const decoded = decodeSnapshot(parsed)
  if (Either.isLeft(decoded)) return undefined
  if (snapshots.size >= SNAPSHOTS_KEPT) snapshots.clear()
  snapshots.set(text, decoded.right)
  return decoded.right
}

/**
 * `Schema.decodeUnknownEither(JobRow)` with the same results, at a fraction of its cost and
 * allocation: the claims and outcomes of a drain decode every job they touch, and the generic
 * decode of the flat columns was most of the memory a job cost. A row that fails any check
 * goes through the schema's own decode, which says why.
 */
export const decodeJobRow = (raw: unknown): Either.Either<RenewalJob, ParseResult.ParseError> => {
  if (!compiled || typeof raw !== "object" || raw === null) return decodeRow(raw)
  const row = raw as Record<string, unknown>
  const job: Record<string, unknown> = {}
  for (const { check, key } of fields) {
    if (!hasOwn(row, key)) return decodeRow(raw)
    const value = row[key]
    if (check === undefined) {
      const snapshot = snapshotOf(value)
      if (snapshot === undefined) return decodeRow(raw)
      job[key] = snapshot
    } else {
      if (!check(value)) return decodeRow(raw)
      job[key] = value
    }
  }
  return Either.right(job as unknown as RenewalJob)
}

const decodeRows = Schema.decodeUnknownEither(Schema.Array(JobRow))

/** `Schema.decodeUnknownEither(Schema.Array(JobRow))` likewise: rows as written by an outcome. */
export const decodeJobRows = (
  raw: ReadonlyArray<unknown>
): Either.Either<ReadonlyArray<RenewalJob>, ParseResult.ParseError> => {
  const jobs: Array<RenewalJob> = []
  for (const row of raw) {
    const job = decodeJobRow(row)
    if (Either.isLeft(job)) return decodeRows(raw)
    jobs.push(job.right)
  }
  return Either.right(jobs)
}
