import { SqlClient } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { type Duration, Effect, Exit, type ParseResult, Schema } from "effect"
import type { JobClaim, JobId } from "../../domain/index.js"
import * as GroupCommit from "../sql/groupCommit.js"
import { type JobPatchRow, JobRow } from "../sqlite/rows.js"

/** One outcome written under its claim: the patch as stored (encoded), stamped `now`. */
export interface ClaimedWrite {
  readonly job_id: JobId
  readonly claim: JobClaim
  readonly patch: typeof JobPatchRow.Encoded
  readonly now: number
}

/** Writes one outcome (in a group commit's transaction); the job as written, or nothing if the claim was lost. */
export type Commit = (
  write: ClaimedWrite
) => Effect.Effect<ReadonlyArray<typeof JobRow.Type>, SqlError | ParseResult.ParseError>

const JobRows = Schema.Array(JobRow)

const shapeOf = (write: ClaimedWrite) =>
  Object.keys(write.patch).filter((k) => write.patch[k as keyof typeof write.patch] !== undefined).sort()

/**
 * Outcomes under their claims on PostgreSQL, group-committed with many outcomes to one
 * statement that commits on its own: a round trip per outcome (or a BEGIN, savepoints and a
 * COMMIT around one statement) would cost more than the commit they share. Outcomes setting
 * the same columns go together (a later outcome of a job already in the statement goes to the
 * next one, so each sees the one before); a statement that fails is written again outcome by
 * outcome, so one bad outcome fails alone. Outcomes are independent, so nothing needs them in
 * one transaction. The claim is part of every statement's condition, as in `jobTransitions.ts`.
 */
export const make = (window?: Duration.DurationInput) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const statement = (columns: ReadonlyArray<string>, writes: ReadonlyArray<ClaimedWrite>) => {
      const values = writes.map((w) => ({
        ...w.patch,
        job_id: w.job_id,
        claimed_by_node: w.claim.node_id,
        claimed_run: w.claim.run_id,
        claimed_at: w.claim.claimed_at,
        updated_at: w.now
      }))
      const set = [...columns, "updated_at"].map((c) => sql`${sql(c)} = v.${sql(c)}`)
      return sql`UPDATE renewal_jobs AS t SET ${sql.csv(set)}
        FROM jsonb_populate_recordset(NULL::renewal_jobs, ${JSON.stringify(values)}::jsonb) AS v
        WHERE t.job_id = v.job_id AND t.status = 'running' AND t.claimed_by_node = v.claimed_by_node
          AND t.claimed_run = v.claimed_run AND t.claimed_at = v.claimed_at
        RETURNING t.*`.pipe(Effect.flatMap(Schema.decodeUnknown(JobRows)))
    }

    const exitsOf = (writes: ReadonlyArray<ClaimedWrite>, rows: ReadonlyArray<typeof JobRow.Type>) =>
      writes.map((w) => Exit.succeed(rows.filter((r) => r.job_id === w.job_id)))

    const group = (columns: ReadonlyArray<string>, writes: ReadonlyArray<ClaimedWrite>) =>
      statement(columns, writes).pipe(
        Effect.map((rows) => exitsOf(writes, rows)),
        Effect.catchAllCause(() =>
          Effect.forEach(writes, (w) =>
            Effect.exit(statement(columns, [w])).pipe(
              Effect.map((exit) => Exit.map(exit, (rows) => rows as ReadonlyArray<typeof JobRow.Type>))
            ))
        )
      )

    const writeAll: GroupCommit.WriteAll<ClaimedWrite> = (writes) =>
      Effect.gen(function*() {
        // Statements keyed by round (how many earlier outcomes of the same job) and columns.
        const seen = new Map<string, number>()
        const groups = new Map<string, { round: number; columns: Array<string>; indexes: Array<number> }>()
        writes.forEach((w, i) => {
          const round = seen.get(w.job_id) ?? 0
          seen.set(w.job_id, round + 1)
          const columns = shapeOf(w)
          const key = `${round}:${columns.join(",")}`
          const g = groups.get(key) ?? { round, columns, indexes: [] }
          g.indexes.push(i)
          groups.set(key, g)
        })
        const exits = new Array<Exit.Exit<unknown, unknown>>(writes.length)
        const ordered = [...groups.values()].sort((a, b) => a.round - b.round)
        for (const g of ordered) {
          const results = yield* group(g.columns, g.indexes.map((i) => writes[i]!))
          g.indexes.forEach((i, k) => (exits[i] = results[k]!))
        }
        return exits
      })

    const commit = yield* GroupCommit.makeWith(writeAll, { window, atomic: false })
    return commit as Commit
  })
