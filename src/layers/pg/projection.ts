import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Option, Schema } from "effect"
import type { NewJob, ProjectionDecision, RenewalJob } from "../../domain/index.js"
import { orDie } from "../sql/boundary.js"
import { checkTerm } from "../sql/leases.js"
import type * as MessageRecords from "../sql/messageRecords.js"
import * as State from "../sql/state.js"
import type * as Jobs from "./jobs.js"

const CURSOR = "projector.cursor"
const Cursor = Schema.compose(Schema.NumberFromString, Schema.Int)

export const make = (
  jobs: Effect.Effect.Success<typeof Jobs.make>,
  records: Effect.Effect.Success<typeof MessageRecords.make>
) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const state = yield* State.make

    // The cursor row, locked: projectors on other nodes committing at once take turns.
    const lockCursor = SqlSchema.findOne({
      Request: Schema.String,
      Result: Schema.Struct({ value: Cursor }),
      execute: (key) => sql`SELECT value FROM store_state WHERE key = ${key} FOR UPDATE`
    })

    /**
     * Both or neither (with the messages' decisions), as in SQLite, and the cursor never moves back: a batch another node's
     * projector has already committed (the cursor is at or past it) commits nothing. A batch
     * that overlaps one committed meanwhile fails on the first job that exists, and its next
     * tick starts from the cursor as it now is. Under a `term`, nothing is written unless the
     * leader lease still has it (its row stays share-locked until the commit).
     */
    const commit = (
      cursor: number,
      batch: ReadonlyArray<NewJob>,
      decisions: ReadonlyArray<ProjectionDecision> = [],
      term?: number
    ) =>
      Effect.gen(function*() {
        if (term !== undefined) yield* checkTerm(sql, term)
        const current = yield* lockCursor(CURSOR)
        if (Option.isSome(current) && current.value.value >= cursor) return [] as ReadonlyArray<RenewalJob>
        yield* state.set(CURSOR, Cursor, cursor)
        const inserted = yield* Effect.forEach(batch, jobs.insert)
        yield* records.decide(decisions)
        return inserted
      }).pipe(sql.withTransaction, orDie)

    return {
      cursor: orDie(state.get(CURSOR, Cursor, 0)),
      commit
    } as const
  })
