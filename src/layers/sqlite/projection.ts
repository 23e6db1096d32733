import { SqlClient } from "@effect/sql"
import { Effect, Schema } from "effect"
import type { NewJob } from "../../domain/index.js"
import { orDie } from "./boundary.js"
import type * as Jobs from "./jobs.js"
import * as State from "./state.js"

const CURSOR = "projector.cursor"
const Cursor = Schema.compose(Schema.NumberFromString, Schema.Int)

export const make = (jobs: Effect.Effect.Success<typeof Jobs.make>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const state = yield* State.make

    /** The cursor is written first so the transaction holds the write lock before it reads. */
    const commit = (cursor: number, batch: ReadonlyArray<NewJob>) =>
      state.set(CURSOR, Cursor, cursor).pipe(
        Effect.zipRight(Effect.forEach(batch, jobs.insert)),
        sql.withTransaction,
        orDie
      )

    return {
      cursor: orDie(state.get(CURSOR, Cursor, 0)),
      commit
    } as const
  })
