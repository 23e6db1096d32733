import { SqlClient, SqlSchema } from "@effect/sql"
import type { SqlError } from "@effect/sql/SqlError"
import { Clock, Effect, Option, Schema } from "effect"
import { Message, MessageId, NewMessage } from "../../domain/index.js"
import { orDie, validate } from "./boundary.js"
import { held, reader } from "./held.js"
import { RawRow, readMessages } from "./salvage.js"

/**
 * How a store keeps `seq` in commit order for the projector: SQLite has one writer, so inserts
 * commit in `seq` order and it needs nothing; PostgreSQL fences them (`pg/seqFence.ts`).
 */
export interface SeqFence {
  readonly insert: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
  readonly read: <A, E, R>(self: Effect.Effect<A, E, R>) => Effect.Effect<A, E | SqlError, R>
}

const noFence: SeqFence = { insert: (self) => self, read: (self) => self }

export const make = (fence: SeqFence = noFence) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const read = yield* reader

    const insertRow = SqlSchema.findAll({
      Request: NewMessage,
      Result: Message,
      execute: (m) => held(sql`INSERT INTO messages ${sql.insert(m)} ON CONFLICT (id) DO NOTHING RETURNING *`)
    })

    const byId = SqlSchema.findOne({
      Request: MessageId,
      Result: Message,
      execute: (id) => read(sql`SELECT * FROM messages WHERE id = ${id}`)
    })

    const after = SqlSchema.findAll({
      Request: Schema.Struct({ after: Schema.Int, limit: Schema.Int }),
      Result: RawRow,
      execute: (r) => read(sql`SELECT * FROM messages WHERE seq > ${r.after} ORDER BY seq LIMIT ${r.limit}`)
    })

    /** The first report of an id wins; a repeat returns the stored message untouched. */
    const insert = (input: NewMessage) =>
      Effect.gen(function*() {
        const valid = yield* validate(NewMessage)(input)
        const message = { ...valid, received_at: valid.received_at ?? (yield* Clock.currentTimeMillis) }
        const [inserted] = yield* fence.insert(insertRow(message))
        if (inserted !== undefined) return { message: inserted, duplicate: false }
        const existing = yield* byId(message.id).pipe(Effect.map(Option.getOrThrow))
        return { message: existing, duplicate: true }
      }).pipe(orDie)

    return {
      insert,
      after: (afterSeq: number, limit: number) =>
        fence.read(after({ after: afterSeq, limit })).pipe(
          Effect.map(readMessages),
          Effect.tap(({ corrupt }) =>
            Effect.forEach(
              corrupt,
              (row) =>
                Effect.logWarning("ArtifactStore.corruptMessage").pipe(Effect.annotateLogs({ ...row, skipped: true })),
              {
                discard: true
              }
            )
          ),
          Effect.map(({ messages }) => messages),
          orDie
        )
    } as const
  })
