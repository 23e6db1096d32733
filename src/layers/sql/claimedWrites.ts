import type { SqlError } from "@effect/sql/SqlError"
import { type Duration, Effect, Exit, type ParseResult } from "effect"
import type { JobClaim, JobId } from "../../domain/index.js"
import * as GroupCommit from "./groupCommit.js"
import type { JobPatchRow, JobRow } from "./rows.js"

/** One outcome written under its claim: the patch as stored (encoded), stamped `now`. */
export interface ClaimedWrite {
  readonly job_id: JobId
  readonly claim: JobClaim
  readonly patch: typeof JobPatchRow.Encoded
  readonly now: number
}

type Rows = ReadonlyArray<typeof JobRow.Type>

/** Writes one outcome (in a group commit); the job as written, or nothing if the claim was lost. */
export type Commit = (write: ClaimedWrite) => Effect.Effect<Rows, SqlError | ParseResult.ParseError>

/** One statement writing outcomes that set the same `columns`, each job at most once: the jobs as written. */
export type Statement = (
  columns: ReadonlyArray<string>,
  writes: ReadonlyArray<ClaimedWrite>
) => Effect.Effect<Rows, SqlError | ParseResult.ParseError>

/** The rows a statement reads its values from: each patch with its claim and stamp. */
export const valuesOf = (writes: ReadonlyArray<ClaimedWrite>) =>
  // Assigned rather than spread: a spread of patches of varying shapes was a visible share of
  // an outcome's CPU. A patch never sets the claim or stamp columns, so the order is moot.
  writes.map((w) =>
    Object.assign({
      job_id: w.job_id,
      claimed_by_node: w.claim.node_id,
      claimed_run: w.claim.run_id,
      claimed_at: w.claim.claimed_at,
      updated_at: w.now
    }, w.patch)
  )

const shapeOf = (write: ClaimedWrite) =>
  Object.keys(write.patch).filter((k) => write.patch[k as keyof typeof write.patch] !== undefined).sort()

/**
 * Outcomes under their claims, group-committed with many outcomes to one statement that commits
 * on its own: a statement (or a BEGIN, savepoints and a COMMIT around one statement) per outcome
 * would cost more than the commit they share. Outcomes setting the same columns go together (a
 * later outcome of a job already in the statement goes to the next one, so each sees the one
 * before); a statement that fails is written again outcome by outcome, so one bad outcome fails
 * alone. Outcomes are independent, so nothing needs them in one transaction. The claim is part
 * of every statement's condition, as in `jobTransitions.ts`. Each store gives its own statement.
 */
export const make = (statement: Statement, window?: Duration.DurationInput) =>
  Effect.gen(function*() {
    // Each job is at most once in a statement: its row, found by id.
    const exitsOf = (writes: ReadonlyArray<ClaimedWrite>, rows: Rows) => {
      const byId = new Map(rows.map((r) => [r.job_id, r]))
      return writes.map((w) => {
        const row = byId.get(w.job_id)
        return Exit.succeed(row === undefined ? [] : [row])
      })
    }

    const group = (columns: ReadonlyArray<string>, writes: ReadonlyArray<ClaimedWrite>) =>
      statement(columns, writes).pipe(
        Effect.map((rows) => exitsOf(writes, rows)),
        Effect.catchAllCause(() =>
          Effect.forEach(writes, (w) =>
            Effect.exit(statement(columns, [w])).pipe(
              Effect.map((exit) => Exit.map(exit, (rows) => rows as Rows))
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
