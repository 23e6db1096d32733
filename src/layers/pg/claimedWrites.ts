import { SqlClient } from "@effect/sql"
import { type Duration, Effect } from "effect"
import * as ClaimedWrites from "../sql/claimedWrites.js"
import { decodeJobRows } from "../sql/jobRowReader.js"

export type { ClaimedWrite, Commit } from "../sql/claimedWrites.js"

/**
 * Outcomes under their claims on PostgreSQL (see `sql/claimedWrites.ts`): each group is one
 * `UPDATE … FROM jsonb_populate_recordset`, the claim part of its condition.
 */
export const make = (window?: Duration.DurationInput) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const statement: ClaimedWrites.Statement = (columns, writes) => {
      const values = ClaimedWrites.valuesOf(writes)
      const set = [...columns, "updated_at"].map((c) => sql`${sql(c)} = v.${sql(c)}`)
      return sql`UPDATE renewal_jobs AS t SET ${sql.csv(set)}
        FROM jsonb_populate_recordset(NULL::renewal_jobs, ${JSON.stringify(values)}::jsonb) AS v
        WHERE t.job_id = v.job_id AND t.status = 'running' AND t.claimed_by_node = v.claimed_by_node
          AND t.claimed_run = v.claimed_run AND t.claimed_at = v.claimed_at
        RETURNING t.*`.pipe(Effect.flatMap(decodeJobRows))
    }

    return yield* ClaimedWrites.make(statement, window)
  })
