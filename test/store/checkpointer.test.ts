import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, TestClock } from "effect"
import { statSync } from "node:fs"
import * as Checkpointer from "../../src/layers/sqlite/checkpointer.js"
import * as SqliteArtifactStore from "../../src/layers/sqlite/SqliteArtifactStore.js"
import { QuietLogs } from "../support/quietLogs.js"
import { makeTempDbFile } from "../support/tempStore.js"

/** Lets the worker thread answer: one turn of the event loop at a time, until `done` holds. */
const until = <R>(done: Effect.Effect<boolean, never, R>) =>
  Effect.gen(function*() {
    while (!(yield* done)) yield* Effect.promise(() => new Promise((resolve) => setImmediate(resolve)))
  })

const pragma = (name: string) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) => sql.unsafe<Record<string, number>>(`PRAGMA ${name}`)).pipe(
    Effect.map((rows) => Object.values(rows[0]!)[0]),
    Effect.orDie
  )

/** `rows` rows of 200 characters in one transaction. */
const write = (rows: number) =>
  Effect.flatMap(SqlClient.SqlClient, (sql) =>
    sql.withTransaction(
      Effect.zipRight(
        sql`CREATE TABLE IF NOT EXISTS filler (x TEXT)`,
        sql.unsafe(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
           INSERT INTO filler SELECT hex(randomblob(100)) FROM n`
        )
      )
    )).pipe(Effect.orDie)

describe("background checkpoints", () => {
  it.scoped("the main connection never checkpoints; the worker folds the WAL in at each interval", () =>
    Effect.gen(function*() {
      const filename = yield* makeTempDbFile
      yield* Layer.build(SqliteArtifactStore.layer({ filename, backgroundCheckpoints: true }).pipe(Layer.orDie)).pipe(
        Effect.flatMap((context) =>
          Effect.gen(function*() {
            expect(yield* pragma("wal_autocheckpoint")).toBe(0)
            const size = () => statSync(filename).size
            // About 1.2 MB: far past the 100 pages at which the main connection used to checkpoint.
            yield* write(5_000)
            expect(size()).toBeLessThan(1_000_000)
            yield* TestClock.adjust(Checkpointer.CHECKPOINT_EVERY)
            yield* until(Effect.sync(() => size() > 1_000_000))
          }).pipe(Effect.provide(context))
        )
      )
    }))

  it.scoped("when the worker's connection fails, the main connection checkpoints in commits again", () =>
    Effect.gen(function*() {
      const filename = yield* makeTempDbFile
      const store = SqliteArtifactStore.layer({ filename }).pipe(Layer.orDie)
      // A file that does not exist: the worker cannot open it.
      const broken = Checkpointer.layer(`${filename}.missing`, 100).pipe(Layer.provideMerge(store))
      yield* Layer.build(broken).pipe(
        Effect.flatMap((context) =>
          until(Effect.map(pragma("wal_autocheckpoint"), (pages) => pages === 100)).pipe(Effect.provide(context))
        )
      )
    }).pipe(Effect.provide(QuietLogs)))
})
