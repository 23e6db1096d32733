import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import type { NewJob, ProjectionDecision } from "../../domain/index.js"
import { orDie } from "../sql/boundary.js"
import { transaction } from "../sql/held.js"
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

    /**
     * The cursor is written first so the transaction holds the write lock before it reads; the
     * decisions go in the same transaction, so a message never reads as decided without its job.
     * Under a `term`, nothing is written unless the leader lease still has it.
     */
    const commit = (
      cursor: number,
      batch: ReadonlyArray<NewJob>,
      decisions: ReadonlyArray<ProjectionDecision> = [],
      term?: number
    ) =>
      state.set(CURSOR, Cursor, cursor).pipe(
        Effect.zipRight(term === undefined ? Effect.void : checkTerm(sql, term)),
        Effect.zipRight(Effect.forEach(batch, jobs.insert)),
        Effect.tap(() => records.decide(decisions)),
        transaction(sql),
        orDie
      )

    return {
      cursor: orDie(state.get(CURSOR, Cursor, 0)),
      commit
    } as const
  })
