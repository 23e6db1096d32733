import { Schema } from "effect"
import { type Check, checkOf } from "../schema/astReader.js"

/**
 * `Schema.is(Schema.Array(schema))` for a struct of column types, compiled once into plain
 * `typeof` checks: the generic interpreter allocated ~130 KB to check a 20-row page. A schema
 * with anything else (refinements, transformations, nested structs) keeps `Schema.is`.
 */
export const rowsGuard = <A, I>(
  schema: Schema.Schema<A, I>
): (rows: ReadonlyArray<unknown>) => rows is ReadonlyArray<A> => {
  const ast = schema.ast
  const fields = ast._tag === "TypeLiteral" && ast.indexSignatures.length === 0
    ? ast.propertySignatures.map((p) => ({ key: p.name, optional: p.isOptional, check: checkOf(p.type) }))
    : []
  const compiled = fields.length > 0 && fields.every((f) => f.check !== undefined && !f.optional)
  if (!compiled) {
    const is = Schema.is(Schema.Array(schema))
    return (rows): rows is ReadonlyArray<A> => is(rows)
  }
  const checks = fields as ReadonlyArray<{ readonly key: PropertyKey; readonly check: Check }>
  const isRow = (row: unknown): boolean => {
    if (typeof row !== "object" || row === null) return false
    for (const { check, key } of checks) {
      if (!Object.prototype.hasOwnProperty.call(row, key) || !check((row as Record<PropertyKey, unknown>)[key])) {
        return false
      }
    }
    return true
  }
  return (rows): rows is ReadonlyArray<A> => rows.every(isRow)
}
