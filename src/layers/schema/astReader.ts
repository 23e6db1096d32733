import { Option, SchemaAST } from "effect"

/** Says "cannot read" apart from a value that reads as `undefined`. */
export const UNREAD: unique symbol = Symbol("unread")

/** A value decoded by a compiled reader, or `UNREAD` when only the schema's decode can say why not. */
export type Read = (value: unknown) => unknown

const NO_OPTIONS: SchemaAST.ParseOptions = {}

export type Check = (value: unknown) => boolean

/**
 * A plain check for the types rows are made of: strings, numbers, literals, unions of these,
 * and refinements of them (brands, integers, ranges), whose own predicate runs as it is.
 */
export const checkOf = (ast: SchemaAST.AST): Check | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return (value) => typeof value === "string"
    case "NumberKeyword":
      return (value) => typeof value === "number"
    case "Literal": {
      const literal = ast.literal
      return (value) => value === literal
    }
    case "Union": {
      const members = ast.types.map(checkOf)
      if (members.some((check) => check === undefined)) return undefined
      const checks = members as ReadonlyArray<Check>
      return (value) => {
        for (const check of checks) if (check(value)) return true
        return false
      }
    }
    case "Refinement": {
      const from = checkOf(ast.from)
      if (from === undefined) return undefined
      return (value) => from(value) && Option.isNone(ast.filter(value, NO_OPTIONS, ast))
    }
    default:
      return undefined
  }
}

const hasOwn = (value: object, key: PropertyKey) => Object.prototype.hasOwnProperty.call(value, key)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * A struct or record: its property signatures in the schema's order, then the keys its index
 * signatures take in the input's order, as the schema's decode builds them. Every key an index
 * signature covers is checked by it, and only those not named by a property are copied.
 */
const typeLiteral = (ast: SchemaAST.TypeLiteral): Read | undefined => {
  const properties: Array<{ readonly name: string; readonly optional: boolean; readonly read: Read }> = []
  for (const ps of ast.propertySignatures) {
    const read = readerOf(ps.type)
    if (read === undefined || typeof ps.name !== "string") return undefined
    properties.push({ name: ps.name, optional: ps.isOptional, read })
  }
  const indexes: Array<Read> = []
  for (const is of ast.indexSignatures) {
    const read = readerOf(is.type)
    if (read === undefined || is.parameter._tag !== "StringKeyword") return undefined
    indexes.push(read)
  }
  if (properties.length === 0 && indexes.length === 0) return undefined
  const named = new Set(properties.map((p) => p.name))
  return (value) => {
    if (!isRecord(value)) return UNREAD
    const out: Record<string, unknown> = {}
    for (const { name, optional, read } of properties) {
      if (!hasOwn(value, name)) {
        if (optional) continue
        return UNREAD
      }
      const field = read(value[name])
      if (field === UNREAD) return UNREAD
      out[name] = field
    }
    for (const read of indexes) {
      for (const key of Object.keys(value)) {
        const field = read(value[key])
        if (field === UNREAD) return UNREAD
        if (!named.has(key)) out[key] = field
      }
    }
    return out
  }
}

/** A struct's property transformations (`optionalWith` defaults and the like), applied as the schema applies them. */
const propertyTransformations = (transformation: SchemaAST.TypeLiteralTransformation) => {
  const steps = transformation.propertySignatureTransformations
  return (value: Record<PropertyKey, unknown>) => {
    for (const step of steps) {
      const moved = step.decode(hasOwn(value, step.from) ? Option.some(value[step.from]) : Option.none())
      delete value[step.from]
      if (Option.isSome(moved)) value[step.to] = moved.value
    }
    return value
  }
}

const isObjectShaped = (ast: SchemaAST.AST): boolean =>
  ast._tag === "Refinement" ? isObjectShaped(ast.from) : ast._tag === "TypeLiteral" || ast._tag === "Transformation"

/**
 * A compiled reader for a schema's decode, for the shapes stored JSON and columns are made of:
 * strings, numbers, booleans, literals, unions, refinements (brands, integers), structs, records
 * and struct property transformations. It gives what `Schema.decodeUnknownEither` gives for any
 * value it reads, at a small part of the cost: the generic interpreter allocates for every node.
 * Anything else (other transformations, declarations, tuples, exact or excess-property options)
 * is undefined, so the caller keeps the schema's decode; a value it cannot read is `UNREAD`, so
 * the caller asks the schema why.
 */
export const readerOf = (ast: SchemaAST.AST): Read | undefined => {
  // A node that sets its own parse options (`exact`, `onExcessProperty`) keeps the schema's decode.
  if (Option.isSome(SchemaAST.getParseOptionsAnnotation(ast))) return undefined
  switch (ast._tag) {
    case "UnknownKeyword":
    case "AnyKeyword":
      return (value) => value
    case "BooleanKeyword":
      return (value) => typeof value === "boolean" ? value : UNREAD
    case "UndefinedKeyword":
      return (value) => value === undefined ? value : UNREAD
    case "Union": {
      // The schema's decode may try object members in another order than declared: one at most.
      if (ast.types.filter(isObjectShaped).length > 1) return undefined
      const members = ast.types.map(readerOf)
      if (members.some((read) => read === undefined)) return undefined
      const reads = members as ReadonlyArray<Read>
      return (value) => {
        for (const read of reads) {
          const out = read(value)
          if (out !== UNREAD) return out
        }
        return UNREAD
      }
    }
    case "Refinement": {
      const from = readerOf(ast.from)
      if (from === undefined) return undefined
      return (value) => {
        const out = from(value)
        return out !== UNREAD && Option.isNone(ast.filter(out, NO_OPTIONS, ast)) ? out : UNREAD
      }
    }
    case "TypeLiteral":
      return typeLiteral(ast)
    case "Transformation": {
      if (ast.transformation._tag !== "TypeLiteralTransformation") return undefined
      const from = readerOf(ast.from)
      const to = readerOf(ast.to)
      if (from === undefined || to === undefined) return undefined
      const transform = propertyTransformations(ast.transformation)
      return (value) => {
        const out = from(value)
        return out === UNREAD ? UNREAD : to(transform(out as Record<PropertyKey, unknown>))
      }
    }
    default: {
      const check = checkOf(ast)
      return check === undefined ? undefined : (value) => check(value) ? value : UNREAD
    }
  }
}
