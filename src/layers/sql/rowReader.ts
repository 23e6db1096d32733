import { Either, type ParseResult, Schema } from "effect"
import { type Read, readerOf, UNREAD } from "../schema/astReader.js"

/** A column the plain checks cannot read: its value decoded, or `UNREAD` when only the schema can say why not. */
export type ColumnReader = Read

// Decoded values are never changed, so one decoded value can be shared by every row with the
// same text. Bounded by starting afresh when full.
const JSON_KEPT = 256

/**
 * A nullable JSON text column (`Schema.NullOr(Schema.parseJson(schema))`): parsed and read by
 * the schema's compiled reader (`astReader.ts`) where it has one, once per distinct text among
 * the last few, since claims and outcomes read the same link's target again and again.
 */
export const jsonColumn = <A, I>(schema: Schema.Schema<A, I>): ColumnReader => {
  const decodeSchema = Schema.decodeUnknownEither(schema)
  const compiled = readerOf(schema.ast)
  const decode = compiled === undefined ? decodeSchema : (parsed: unknown) => {
    const read = compiled(parsed)
    return read === UNREAD ? decodeSchema(parsed) : Either.right(read as A)
  }
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

interface Field {
  readonly key: string
  readonly read: ColumnReader
}

/**
 * `Schema.decodeUnknownEither(schema)` for a row of columns, with the same results at a
 * fraction of the cost: each plain column is read by its schema's compiled reader (one `typeof`
 * and its refinement's own predicate), each column in `columns` (JSON text, 0 / 1) by its reader. The schema's field order is
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
    const compiledRead = Schema.isSchema(field) ? readerOf(field.ast) : undefined
    return compiledRead === undefined ? undefined : { key, read: compiledRead }
  })
  const compiled = fields.every((f) => f !== undefined) ? (fields as ReadonlyArray<Field>) : undefined

  const decode = (raw: unknown): Either.Either<A, ParseResult.ParseError> => {
    if (compiled === undefined || typeof raw !== "object" || raw === null) return decodeRow(raw)
    const row = raw as Record<string, unknown>
    const out: Record<string, unknown> = {}
    for (const field of compiled) {
      const { key } = field
      if (!hasOwn(row, key)) return decodeRow(raw)
      const read = field.read(row[key])
      if (read === UNREAD) return decodeRow(raw)
      out[key] = read
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
