import { SqlClient, SqlSchema } from "@effect/sql"
import { Clock, Effect, Option, Schema } from "effect"
import { held, reader } from "./held.js"

/** A small key/value table for single durable values; each key has its own schema. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const reading = yield* reader

  const read = SqlSchema.findOne({
    Request: Schema.String,
    Result: Schema.Struct({ value: Schema.String }),
    execute: (key) => reading(sql`SELECT value FROM store_state WHERE key = ${key}`)
  })

  const write = SqlSchema.void({
    Request: Schema.Struct({ key: Schema.String, value: Schema.String, now: Schema.Number }),
    execute: (r) =>
      held(sql`INSERT INTO store_state (key, value, updated_at) VALUES (${r.key}, ${r.value}, ${r.now})
          ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`)
  })

  const get = <A, I extends string>(key: string, schema: Schema.Schema<A, I>, fallback: A) =>
    read(key).pipe(
      Effect.flatMap(Option.match({
        onNone: () => Effect.succeed(fallback),
        onSome: (row) => Schema.decodeUnknown(schema)(row.value)
      }))
    )

  const set = <A, I extends string>(key: string, schema: Schema.Schema<A, I>, value: A) =>
    Effect.gen(function*() {
      const encoded = yield* Schema.encode(schema)(value)
      const now = yield* Clock.currentTimeMillis
      yield* write({ key, value: encoded, now })
    })

  return { get, set } as const
})
