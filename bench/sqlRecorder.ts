import { createRequire } from "node:module"
import { CACHE_KIB } from "../src/layers/sqlite/SqliteArtifactStore.js"

/** One statement as a program ran it: its text, how it was run, and its parameters. */
export interface Executed {
  readonly sql: string
  readonly method: "all" | "run"
  readonly params: ReadonlyArray<unknown>
}

interface Statement {
  all(...params: ReadonlyArray<unknown>): unknown
  run(...params: ReadonlyArray<unknown>): unknown
}

interface Db {
  prepare(sql: string): Statement
  pragma(text: string): unknown
  close(): void
}

interface DatabaseClass {
  new(file: string): Db
  readonly prototype: Db
}

// The driver @effect/sql-sqlite-node loads: the same module, so its statements are the ones seen.
const Database = createRequire(import.meta.url)("better-sqlite3") as DatabaseClass

/**
 * Records every statement prepared from now on, on any connection, as it runs, until `stop`.
 * `skip` leaves out a statement by its text (a bench's own polling).
 */
export const record = (skip: (sql: string) => boolean) => {
  const executed: Array<Executed> = []
  const prepare = Database.prototype.prepare
  Database.prototype.prepare = function(this: Db, sql: string) {
    const statement = prepare.call(this, sql)
    if (skip(sql)) return statement
    for (const method of ["all", "run"] as const) {
      const original = statement[method]
      statement[method] = function(this: Statement, ...params: ReadonlyArray<unknown>) {
        executed.push({ sql, method, params })
        return original.apply(this, [...params])
      }
    }
    return statement
  }
  return {
    stop: () => {
      Database.prototype.prepare = prepare
      return executed
    }
  }
}

/**
 * Runs `executed` again, in order, on the database file `file` (a copy of the one they first ran
 * on), straight on better-sqlite3 with the daemon's connection settings and nothing else, and
 * gives the milliseconds it took. Each text is prepared once, as the client's cache does.
 */
export const replay = (file: string, executed: ReadonlyArray<Executed>) => {
  const db = new Database(file)
  db.pragma("journal_mode = WAL")
  db.pragma("synchronous = NORMAL")
  db.pragma("foreign_keys = ON")
  db.pragma(`cache_size = -${CACHE_KIB}`)
  // The daemon checkpoints off its thread; here no checkpoint runs inside a commit either.
  db.pragma("wal_autocheckpoint = 0")
  const prepared = new Map<string, Statement>()
  const start = performance.now()
  for (const { method, params, sql } of executed) {
    let statement = prepared.get(sql)
    if (statement === undefined) {
      statement = db.prepare(sql)
      prepared.set(sql, statement)
    }
    statement[method](...params)
  }
  const ms = performance.now() - start
  db.close()
  return ms
}
