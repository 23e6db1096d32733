import { SqlClient } from "@effect/sql"
import { SqliteClient } from "@effect/sql-sqlite-node"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber, Layer, Option } from "effect"
import { held, ReadConnection, reader, transaction } from "../../src/layers/sql/held.js"
import { readConnection } from "../../src/layers/sqlite/SqliteArtifactStore.js"
import { makeTempDir } from "../support/tempStore.js"

/** A writer client on a fresh file with one table, and the store's read connection beside it. */
const env = Layer.unwrapScoped(
  Effect.map(makeTempDir, (dir) => {
    const filename = `${dir}/held.db`
    const writer = SqliteClient.layer({ filename })
    const table = Layer.effectDiscard(
      Effect.flatMap(SqlClient.SqlClient, (sql) => sql`CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)`)
    )
    return readConnection(filename).pipe(Layer.provideMerge(table), Layer.provideMerge(writer))
  })
).pipe(Layer.orDie)

const texts = (rows: ReadonlyArray<{ readonly text: string }>) => rows.map((row) => row.text)

describe("statements on a held connection", () => {
  it.scoped("a read outside a transaction goes to the read connection and sees what is committed", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const read = yield* reader
      yield* sql`INSERT INTO notes (text) VALUES ('one')`
      expect(texts(yield* read(sql<{ text: string }>`SELECT text FROM notes`))).toEqual(["one"])
      // The read connection is read-only: a write sent through it is refused.
      const write = yield* Effect.exit(read(sql`INSERT INTO notes (text) VALUES ('two')`))
      expect(Exit.isFailure(write)).toBe(true)
    }).pipe(Effect.provide(env)))

  it.scoped("inside a transaction, reads see its writes; outside it, nothing until it commits", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const read = yield* reader
      const written = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const inside = yield* Effect.fork(
        Effect.gen(function*() {
          yield* held(sql`INSERT INTO notes (text) VALUES ('draft')`)
          const seen = texts(yield* read(sql<{ text: string }>`SELECT text FROM notes`))
          yield* Deferred.succeed(written, undefined)
          yield* Deferred.await(release)
          return seen
        }).pipe(transaction(sql))
      )
      yield* Deferred.await(written)
      expect(texts(yield* read(sql<{ text: string }>`SELECT text FROM notes`))).toEqual([])
      yield* Deferred.succeed(release, undefined)
      expect(yield* Fiber.join(inside)).toEqual(["draft"])
      expect(texts(yield* read(sql<{ text: string }>`SELECT text FROM notes`))).toEqual(["draft"])
    }).pipe(Effect.provide(env)))

  it.scoped("a failed or interrupted transaction leaves nothing; a nested one rolls back alone", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const read = yield* reader
      const failed = yield* Effect.exit(
        held(sql`INSERT INTO notes (text) VALUES ('failed')`).pipe(Effect.zipRight(Effect.fail("no")), transaction(sql))
      )
      expect(failed).toEqual(Exit.fail("no"))
      const started = yield* Deferred.make<void>()
      const interrupted = yield* Effect.fork(
        held(sql`INSERT INTO notes (text) VALUES ('interrupted')`).pipe(
          Effect.zipRight(Deferred.succeed(started, undefined)),
          Effect.zipRight(Effect.never),
          transaction(sql)
        )
      )
      yield* Deferred.await(started)
      yield* Fiber.interrupt(interrupted)
      yield* Effect.gen(function*() {
        yield* held(sql`INSERT INTO notes (text) VALUES ('kept')`)
        yield* Effect.ignore(
          held(sql`INSERT INTO notes (text) VALUES ('inner')`).pipe(
            Effect.zipRight(Effect.fail("inner")),
            sql.withTransaction
          )
        )
      }).pipe(transaction(sql))
      expect(texts(yield* read(sql<{ text: string }>`SELECT text FROM notes`))).toEqual(["kept"])
      // The connection was given back each time: a plain statement still runs.
      expect(texts(yield* sql<{ text: string }>`SELECT text FROM notes`)).toEqual(["kept"])
    }).pipe(Effect.provide(env)))

  it.effect("without a read connection, a read runs as the statement does", () =>
    Effect.gen(function*() {
      const read = yield* reader
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE t (x INTEGER)`
      yield* sql`INSERT INTO t VALUES (1)`
      expect(yield* read(sql<{ x: number }>`SELECT x FROM t`)).toEqual([{ x: 1 }])
      expect(Option.isNone(yield* Effect.serviceOption(ReadConnection))).toBe(true)
    }).pipe(Effect.provide(SqliteClient.layer({ filename: ":memory:" }))))
})
