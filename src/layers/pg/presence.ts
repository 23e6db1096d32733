import { SqlClient } from "@effect/sql"
import { Effect } from "effect"
import { orDie } from "../sql/boundary.js"

export interface Holder {
  readonly node_id: string
  readonly run_id: string
}

/** The `bridge_presence` rows of one daemon: what it holds, renewed; released when it stops. */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient

  /** This daemon holds exactly `clients` until `lease_until`; its rows for any other client go. */
  const hold = (holder: Holder, clients: ReadonlyArray<string>, now: number, lease_until: number) =>
    Effect.gen(function*() {
      if (clients.length > 0) {
        const rows = clients.map((client_id) => ({ client_id, ...holder, lease_until, updated_at: now }))
        yield* sql`INSERT INTO bridge_presence ${sql.insert(rows)}
                   ON CONFLICT (client_id) DO UPDATE SET node_id = excluded.node_id, run_id = excluded.run_id,
                     lease_until = excluded.lease_until, updated_at = excluded.updated_at`
      }
      yield* sql`DELETE FROM bridge_presence WHERE node_id = ${holder.node_id}
                 AND ${clients.length === 0 ? sql`TRUE` : sql`client_id NOT IN ${sql.in(clients)}`}`
    }).pipe(sql.withTransaction, orDie)

  const release = (holder: Holder) =>
    orDie(sql`DELETE FROM bridge_presence WHERE node_id = ${holder.node_id} AND run_id = ${holder.run_id}`)

  return { hold, release } as const
})
