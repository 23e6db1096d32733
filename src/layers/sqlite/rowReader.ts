import { Either, type ParseResult, Schema } from "effect"
import { checkOf } from "./columnGuard.js"

/** A column the plain checks cannot read: its value decoded, or undefined when only the schema can say why not. */
export type ColumnReader = (value: unknown) => unknown

/** Says "cannot read" apart from a column whose value reads as `undefined`. */
const UNREAD: unique symbol = Symbol("unread")

// Decoded values are never changed, so one decoded value can be shared by every row with the
// same text. Bounded by starting afresh when full.
const JSON_KEPT = 256

/**
 * A nullable JSON text column (`Schema.NullOr(Schema.parseJson(schema))`): parsed and decoded
 * once per distinct text among the last few, since claims and outcomes read the same link's
 * target again and again.
 */
export const jsonColumn = <A, I>(schema: Schema.Schema<A, I>): ColumnReader => {
  const decode = Schema.decodeUnknownEither(schema)
  const kept = new Map<string, A>()
  return (text) => {
    if (text === null) return null
    if (typeof text !== "string") return UNREAD
    const known = kept.get(text)
    if (known !== undefined) return known
    let parsed: unknown
    try {
      parsed = JSON.parse(text)
    } catch {
      return UNREAD
    }
    const decoded = decode(parsed)
    if (Either.isLeft(decoded)) return UNREAD
    if (kept.size >= JSON_KEPT) kept.clear()
    kept.set(text, decoded.right)
    return decoded.right
  }
}

/** SQLite's 0 / 1 for a boolean column. */
export const booleanColumn: ColumnReader = (value) => value === 0 ? false : value === 1 ? true : UNREAD

const hasOwn = (row: object, key: string) => Object.prototype.hasOwnProperty.call(row, key)

type Field =
  | { readonly key: string; readonly check: (value: unknown) => boolean; readonly read?: undefined }
  | { readonly key: string; readonly read: ColumnReader; readonly check?: undefined }

/**
 * `Schema.decodeUnknownEither(schema)` for a row of columns, with the same results at a
 * fraction of the cost: each plain column is one `typeof` and its refinement's own predicate,
 * each column in `columns` (JSON text, 0 / 1) is read by its reader. The schema's field order is
 * the output's key order, and extra columns are dropped, as the schema's decode does. A row
 * that fails any check goes through the schema's own decode, which says why; a schema with a
 * column that is neither falls back for every row.
 */
export const rowReader = <A, I, Fields extends Schema.Struct.Fields>(
  schema: Schema.Schema<A, I> & { readonly fields: Fields },
  columns: { readonly [K in keyof Fields]?: ColumnReader } = {}
) => {
  const decodeRow = Schema.decodeUnknownEither(schema)
  const decodeRows = Schema.decodeUnknownEither(Schema.Array(schema))
  const fields: ReadonlyArray<Field | undefined> = Object.entries(schema.fields).map(([key, field]) => {
    const read = (columns as Readonly<Record<string, ColumnReader | undefined>>)[key]
    if (read !== undefined) return { key, read }
    // An optional field (a property signature) is not a plain column: the schema decodes it.
    const check = Schema.isSchema(field) ? checkOf(field.ast) : undefined
    return check === undefined ? undefined : { key, check }
  })
  const compiled = fields.every((f) => f !== undefined) ? (fields as ReadonlyArray<Field>) : undefined

  const decode = (raw: unknown): Either.Either<A, ParseResult.ParseError> => {
    if (compiled === undefined || typeof raw !== "object" || raw === null) return decodeRow(raw)
    const row = raw as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const field of compiled) {
      const { key } = field
      if (!hasOwn(row, key)) return decodeRow(raw)
      const value = row[key]
      if (field.read === undefined) {
        if (!field.check(value)) return decodeRow(raw)
        out[key] = value
      } else {
        const read = field.read(value)
        if (read === UNREAD) return decodeRow(raw)
        out[key] = read
      }
    }
    return Either.right(out as A)
  }

  /** The same for `Schema.Array(schema)`: any row that fails sends the whole batch through the schema. */
  const decodeAll = (raw: ReadonlyArray<unknown>): Either.Either<ReadonlyArray<A>, ParseResult.ParseError> => {
    const out: Array<A> = []
    for (const row of raw) {
      const one = decode(row)
      if (Either.isLeft(one)) return decodeRows(raw)
      out.push(one.right)
    }
    return Either.right(out)
  }

  return { decode, decodeAll } as const
}
