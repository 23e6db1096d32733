import type { Statement } from "@effect/sql"
import type { SqlClient } from "@effect/sql/SqlClient"

/** Where the two stores' SQL differs and nothing else does. */
export interface Dialect {
  /** The larger of two values in one row: `MAX` on SQLite, `GREATEST` on PostgreSQL. */
  readonly greatest: (sql: SqlClient) => Statement.Fragment
  /** `INDEXED BY` on SQLite, whose planner needs telling; nothing on PostgreSQL, whose planner picks. */
  readonly indexedBy: (sql: SqlClient, index: string) => Statement.Fragment
  /** The same hint as text, for the list helpers that assemble their statement from strings. */
  readonly hint: (index: string) => string
}

export const sqlite: Dialect = {
  greatest: (sql) => sql.literal("MAX"),
  indexedBy: (sql, index) => sql.literal(`INDEXED BY ${index}`),
  hint: (index) => `INDEXED BY ${index}`
}

export const postgres: Dialect = {
  greatest: (sql) => sql.literal("GREATEST"),
  indexedBy: (sql) => sql.literal(""),
  hint: () => ""
}
