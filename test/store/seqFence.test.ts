import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, Schedule, Schema } from "effect"
import * as SeqFence from "../../src/layers/pg/seqFence.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { message } from "./fixtures.js"

// SQLite has one writer: its inserts commit in `seq` order by construction.
const postgres = storeBackends.filter((backend) => backend.name === "postgres")

describe.each(postgres)("message seq in commit order on $name", ({ layer }) => {
  it.live("the projector's read waits for an earlier seq still being written, then sees both in order", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const sql = yield* SqlClient.SqlClient
      const release = yield* Deferred.make<void>()
      const inserted = yield* Deferred.make<number>()

      // An ingest that took seq first and has not committed yet.
      const slow = yield* sql.withTransaction(
        Effect.gen(function*() {
          const { message: early } = yield* store.insertMessage(message("fence-early"))
          yield* Deferred.succeed(inserted, early.seq)
          yield* Deferred.await(release)
        })
      ).pipe(Effect.fork)
      const earlySeq = yield* Deferred.await(inserted)
      const { message: late } = yield* store.insertMessage(message("fence-late"))
      expect(late.seq).toBeGreaterThan(earlySeq)

      const read = yield* Effect.fork(store.messagesAfter(0, 10))
      // The read is queued behind the open insert's lock, not answering without it.
      const waiting = sql`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`.pipe(
        Effect.flatMap(Schema.decodeUnknown(Schema.Tuple(Schema.Struct({ n: Schema.Number })))),
        Effect.map(([row]) => row.n)
      )
      yield* waiting.pipe(
        Effect.repeat({ until: (n) => n === 1, schedule: Schedule.spaced("10 millis") }),
        Effect.timeout("10 seconds")
      )
      expect(yield* Fiber.poll(read)).toEqual(expect.objectContaining({ _tag: "None" }))

      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(slow)
      const seen = yield* Fiber.join(read)
      expect(seen.map((m) => m.id)).toEqual(["fence-early", "fence-late"])
    }).pipe(Effect.provide(layer)))

  it.live("a daemon stalled while holding the fence is cut off by the server, and the projector's read goes on", () =>
    Effect.gen(function*() {
      const fence = yield* SeqFence.make("300 millis")
      const sql = yield* SqlClient.SqlClient
      const locked = yield* Deferred.make<void>()
      // An insert that took the lock and never comes back to its transaction (a frozen process).
      const stalled = yield* fence.insert(Effect.zipRight(Deferred.succeed(locked, undefined), Effect.never)).pipe(
        Effect.fork
      )
      yield* Deferred.await(locked)
      const rows = yield* fence.read(sql`SELECT 1 AS one`).pipe(Effect.timeout("10 seconds"))
      expect(rows).toEqual([{ one: 1 }])
      yield* Fiber.interrupt(stalled)
    }).pipe(Effect.provide(layer)))
})
