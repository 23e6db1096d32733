import type { Statement } from "@effect/sql"
import type { SqlClient } from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"
import type { Page } from "../../domain/index.js"

/** How one table is listed: newest first by `orderBy`, its id column as the tie-break. */
export interface ListShape {
  readonly table: string
  readonly id: string
  readonly orderBy: string
}

/** `column = value` for every filter that is set; all rows when none is. */
export const whereEquals = (
  sql: SqlClient,
  filters: Readonly<Record<string, string | number | undefined>>
): Statement.Fragment =>
  sql.and(
    Object.entries(filters).flatMap(([column, value]) => (value === undefined ? [] : [sql`${sql(column)} = ${value}`]))
  )

/**
 * One page of a list. The page's ids come from `index` alone (a covering index in list order)
 * and only the page's rows are read, so a deep offset costs index entries, not rows.
 */
export const pageOf = (
  sql: SqlClient,
  shape: ListShape,
  index: string,
  where: Statement.Fragment,
  page: Page,
  columns: Statement.Fragment = sql.literal("*")
) => {
  const order = sql.literal(`${shape.orderBy} DESC, ${shape.id} DESC`)
  return sql`SELECT ${columns} FROM ${sql(shape.table)} WHERE ${sql(shape.id)} IN (
               SELECT ${sql(shape.id)} FROM ${sql(shape.table)} ${sql.literal(index)} WHERE ${where}
               ORDER BY ${order} LIMIT ${page.limit} OFFSET ${page.offset})
             ORDER BY ${order}`
}

/** How many rows a list's filter matches, counted on the same index that serves its pages. */
export const countOf = (
  sql: SqlClient,
  table: string,
  index: string,
  where: Statement.Fragment,
  run: (statement: Statement.Statement<{ readonly total: number }>) => Effect.Effect<
    ReadonlyArray<{ readonly total: number }>,
    SqlError
  > = (statement) => statement
) =>
  run(sql<{ readonly total: number }>`SELECT COUNT(*) AS total FROM ${sql(table)} ${sql.literal(index)} WHERE ${where}`)
    .pipe(
      Effect.map((rows) => rows[0]?.total ?? 0)
    )
