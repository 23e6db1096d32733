import { SqlClient } from "@effect/sql"
import { type Duration, Effect } from "effect"
import * as ClaimedWrites from "../sql/claimedWrites.js"
import { decodeJobRows } from "../sql/jobRowReader.js"

/** The claim and stamp columns every outcome carries besides its patch. */
const KEYS = ["job_id", "claimed_by_node", "claimed_run", "claimed_at", "updated_at"]

/**
 * Outcomes under their claims on SQLite (see `sql/claimedWrites.ts`): each group is one
 * `UPDATE … FROM json_each(?)`, so ten outcomes cost one statement and one commit. The `+`
 * before the status keeps SQLite from walking every running job by the status index: each
 * outcome is found by its primary key.
 */
export const make = (window?: Duration.DurationInput) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const statement: ClaimedWrites.Statement = (columns, writes) => {
      const values = ClaimedWrites.valuesOf(writes)
      const fields = [...columns, ...KEYS].map((c) => sql`value ->> ${c} AS ${sql(c)}`)
      const set = [...columns, "updated_at"].map((c) => sql`${sql(c)} = v.${sql(c)}`)
      return sql`UPDATE renewal_jobs SET ${sql.csv(set)}
        FROM (SELECT ${sql.csv(fields)} FROM json_each(${JSON.stringify(values)})) AS v
        WHERE renewal_jobs.job_id = v.job_id AND +renewal_jobs.status = 'running'
          AND renewal_jobs.claimed_by_node = v.claimed_by_node AND renewal_jobs.claimed_run = v.claimed_run
          AND renewal_jobs.claimed_at = v.claimed_at
        RETURNING *`.pipe(Effect.flatMap(decodeJobRows))
    }

    return yield* ClaimedWrites.make(statement, window)
  })
