import { describe, expect, it } from "@effect/vitest"
import { Arbitrary, Either, FastCheck, Schema } from "effect"
import { RenewalJob, RouteParams, TargetPayload, TargetSnapshot } from "../../src/domain/index.js"
import { readerOf, UNREAD } from "../../src/layers/schema/astReader.js"
import { snapshot as storedSnapshot } from "../store/fixtures.js"

/** What the compiled reader gives: the decoded value, or `UNREAD` where the schema must say why. */
const compiled = <A, I>(schema: Schema.Schema<A, I>) => {
  const read = readerOf(schema.ast)
  if (read === undefined) throw new Error("no compiled reader")
  return read
}

/**
 * The compiled reader agrees with the schema's decode: the same value, keys in the same order,
 * wherever it reads; and it never reads what the schema rejects.
 */
const agrees = <A, I>(schema: Schema.Schema<A, I>, input: unknown) => {
  const read = compiled(schema)(input)
  const decoded = Schema.decodeUnknownEither(schema)(input)
  if (read === UNREAD) return Either.isLeft(decoded) || "fell back on a value the schema reads"
  if (Either.isLeft(decoded)) return false
  expect(JSON.stringify(read)).toBe(JSON.stringify(decoded.right))
  expect(read).toEqual(decoded.right)
  return true
}

// A payload nested deeper than the stored fixture's, to show records keep what they hold.
const snapshot = {
  ...storedSnapshot,
  target: { ...storedSnapshot.target, payload: { tab_id: 1, nested: { a: [1] } } }
}

// Values as JSON gives them: anything a hand-edited column could hold.
const json = FastCheck.jsonValue().map((value) => JSON.parse(JSON.stringify(value)) as unknown)

describe("readerOf", () => {
  it("reads every value the schema generates, as the schema decodes it", () => {
    const schemas: ReadonlyArray<Schema.Schema<unknown, unknown>> = [
      TargetSnapshot,
      TargetPayload,
      RouteParams,
      RenewalJob
    ] as never
    for (const schema of schemas) {
      const encode = Schema.encodeSync(schema)
      for (const value of FastCheck.sample(Arbitrary.make(schema), 200)) {
        const encoded = encode(value)
        expect(compiled(schema)(encoded)).not.toBe(UNREAD)
        expect(agrees(schema, encoded)).toBe(true)
      }
      // The encoded side alone: values that miss the refinements, which the schema rejects too.
      for (const value of FastCheck.sample(Arbitrary.make(Schema.encodedSchema(schema)), 200)) {
        expect(agrees(schema, value)).toBe(true)
      }
    }
  })

  it("drops keys a struct does not name, keeps a record's, and fills a struct's defaults", () => {
    const read = compiled(TargetSnapshot)({ ...snapshot, surplus: 1, route: { ...snapshot.route, extra: 2 } })
    expect(read).toEqual(snapshot)
    expect(Object.keys(read as object)).toEqual(Object.keys(snapshot))
    // TargetPayload keeps unknown keys, after the named ones, and defaults the missing ones to null.
    const payload = compiled(TargetPayload)({ extra: [1], client_id: "c", tab_id: 3 })
    expect(payload).toEqual({ client_id: "c", tab_id: 3, conversation_id: null, page_url: null, extra: [1] })
    expect(agrees(TargetPayload, { extra: [1], client_id: "c", tab_id: 3 })).toBe(true)
  })

  it("leaves whatever the schema rejects to the schema", () => {
    const broken: ReadonlyArray<unknown> = [
      null,
      [],
      "text",
      { ...snapshot, link_id: 1 },
      { ...snapshot, platform: "Not A Platform" },
      { ...snapshot, route: null },
      { ...snapshot, route: { ...snapshot.route, params: { id: 1 } } },
      { ...snapshot, target: { ...snapshot.target, payload: [] } },
      Object.fromEntries(Object.entries(snapshot).filter(([key]) => key !== "page_title"))
    ]
    for (const value of broken) {
      expect(compiled(TargetSnapshot)(value)).toBe(UNREAD)
      expect(Either.isLeft(Schema.decodeUnknownEither(TargetSnapshot)(value))).toBe(true)
    }
    expect(compiled(TargetPayload)({ client_id: 1 })).toBe(UNREAD)
    expect(compiled(TargetPayload)({ client_id: "c", shell_page: "yes" })).toBe(UNREAD)
  })

  it("agrees with the schema on arbitrary JSON and on generated values with one field replaced", () => {
    FastCheck.assert(
      FastCheck.property(json, (value) => {
        for (const schema of [TargetSnapshot, TargetPayload, RouteParams]) {
          expect(agrees(schema as Schema.Schema<unknown, unknown>, value)).toBe(true)
        }
      }),
      { numRuns: 300 }
    )
    const mutated = FastCheck.tuple(Arbitrary.make(TargetSnapshot), FastCheck.string(), json).map(
      ([value, key, replacement]) => {
        const keys = Object.keys(value)
        return { ...value, [keys[key.length % keys.length]!]: replacement }
      }
    )
    FastCheck.assert(
      FastCheck.property(mutated, (value) => {
        expect(agrees(TargetSnapshot, value)).toBe(true)
      }),
      {
        numRuns: 300
      }
    )
  })

  it("has no compiled reader for shapes it does not know, so the schema decodes them", () => {
    expect(readerOf(Schema.NumberFromString.ast)).toBeUndefined()
    expect(readerOf(Schema.Tuple(Schema.String).ast)).toBeUndefined()
    const strict = Schema.Struct({ a: Schema.String }).annotations({ parseOptions: { onExcessProperty: "error" } })
    expect(readerOf(strict.ast)).toBeUndefined()
    expect(readerOf(Schema.Union(Schema.Struct({ a: Schema.String }), Schema.Struct({ b: Schema.String })).ast))
      .toBeUndefined()
  })
})
