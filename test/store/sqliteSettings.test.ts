import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { storeBackends } from "../support/storeBackends.js"

const sqlite = storeBackends.filter((backend) => backend.name === "sqlite")

describe.each(sqlite)("the $name store's connection settings", ({ layer }) => {
  it.effect("WAL, synchronous NORMAL, and checkpoints every 100 pages so none stalls the thread for long", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const pragma = (name: string) =>
        Effect.map(sql.unsafe<Record<string, unknown>>(`PRAGMA ${name}`), (rows) => rows[0])
      expect(yield* pragma("journal_mode")).toEqual({ journal_mode: "wal" })
      expect(yield* pragma("synchronous")).toEqual({ synchronous: 1 })
      expect(yield* pragma("wal_autocheckpoint")).toEqual({ wal_autocheckpoint: 100 })
      expect(yield* pragma("foreign_keys")).toEqual({ foreign_keys: 1 })
    }).pipe(Effect.provide(layer)))
})
