import { SqlClient, SqlSchema } from "@effect/sql"
import { Effect, Layer, Option, Schema } from "effect"
import { LeaderLease, NodeLease, StaleLeaderTerm } from "../../domain/index.js"
import { Leases, type LeasesService } from "../../services/Leases.js"
import { orDie } from "./boundary.js"
import { held } from "./held.js"

const Term = Schema.Struct({ term: Schema.Int })

/**
 * The leases in SQL both stores speak (upserts with a `WHERE`, `RETURNING`); PostgreSQL adds the
 * presence join for each node's clients and a row lock for the term check.
 */
export const make = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const onPg = <A>(pg: A, otherwise: A): A => sql.onDialectOrElse({ pg: () => pg, orElse: () => otherwise })

  /**
   * One statement: the row is created with term 1, renewed by the run that holds it, or taken
   * (term + 1) once it lapsed or from an earlier run of the same node. On PostgreSQL the loser of
   * a race waits on the row lock, then sees the winner's fresh lease and changes nothing.
   */
  const acquireRow = SqlSchema.findAll({
    Request: Schema.Struct({
      node_id: Schema.String,
      run_id: Schema.String,
      now: Schema.Number,
      lease_until: Schema.Number
    }),
    Result: LeaderLease,
    execute: (r) =>
      held(sql`INSERT INTO leader_lease (id, node_id, run_id, term, lease_until, acquired_at)
          VALUES (1, ${r.node_id}, ${r.run_id}, 1, ${r.lease_until}, ${r.now})
          ON CONFLICT (id) DO UPDATE SET
            term = CASE WHEN leader_lease.run_id = excluded.run_id THEN leader_lease.term ELSE leader_lease.term + 1 END,
            acquired_at = CASE WHEN leader_lease.run_id = excluded.run_id
              THEN leader_lease.acquired_at ELSE excluded.acquired_at END,
            node_id = excluded.node_id, run_id = excluded.run_id, lease_until = excluded.lease_until
          WHERE leader_lease.run_id = excluded.run_id OR leader_lease.node_id = excluded.node_id
            OR leader_lease.lease_until <= ${r.now}
          RETURNING node_id, term, lease_until`)
  })

  const leaderRow = SqlSchema.findOne({
    Request: Schema.Void,
    Result: LeaderLease,
    execute: () => held(sql`SELECT node_id, term, lease_until FROM leader_lease WHERE id = 1`)
  })

  const nodeRows = SqlSchema.findAll({
    Request: Schema.Void,
    Result: Schema.Struct({ ...NodeLease.fields, clients: Schema.NullOr(Schema.Array(Schema.String)) }),
    execute: () =>
      onPg(
        sql`SELECT n.node_id, n.run_id, n.role, n.lease_until, n.last_seen_at,
              (SELECT array_agg(p.client_id ORDER BY p.client_id) FROM bridge_presence AS p
               WHERE p.node_id = n.node_id) AS clients
            FROM node_leases AS n ORDER BY n.node_id`,
        sql`SELECT node_id, run_id, role, lease_until, last_seen_at, NULL AS clients
            FROM node_leases ORDER BY node_id`
      )
  })

  const reapRows = SqlSchema.findAll({
    Request: Schema.Struct({ self: Schema.String, now: Schema.Number }),
    Result: NodeLease,
    execute: (r) =>
      held(sql`DELETE FROM node_leases WHERE lease_until < ${r.now} AND node_id <> ${r.self}
          RETURNING node_id, run_id, role, lease_until, last_seen_at`)
  })

  const service: LeasesService = {
    beat: (node, now, lease_until) =>
      orDie(sql`INSERT INTO node_leases ${sql.insert({ ...node, lease_until, last_seen_at: now })}
                ON CONFLICT (node_id) DO UPDATE SET run_id = excluded.run_id, role = excluded.role,
                  lease_until = excluded.lease_until, last_seen_at = excluded.last_seen_at`),
    acquire: (holder, now, lease_until) =>
      acquireRow({ ...holder, now, lease_until }).pipe(Effect.map((rows) => Option.fromNullable(rows[0])), orDie),
    resign: (holder, now) =>
      orDie(sql`UPDATE leader_lease SET lease_until = ${now}
                WHERE id = 1 AND run_id = ${holder.run_id} AND lease_until > ${now}`),
    leave: (holder, now) =>
      orDie(sql`UPDATE node_leases SET lease_until = ${now}
                WHERE node_id = ${holder.node_id} AND run_id = ${holder.run_id}`),
    leader: orDie(leaderRow(undefined)),
    nodes: nodeRows(undefined).pipe(
      Effect.map((rows) => rows.map(({ clients, ...node }) => ({ ...node, clients: clients ?? [] }))),
      orDie
    ),
    reap: (self, now) => orDie(reapRows({ self, now }))
  }
  return service
})

/** The leases on the store's own database. */
export const layer: Layer.Layer<Leases, never, SqlClient.SqlClient> = Layer.effect(Leases, make)

/**
 * Inside a projection's transaction: the commit goes on only under the term the lease holds now.
 * On PostgreSQL the row stays share-locked to the commit, so no takeover lands in between.
 */
export const checkTerm = (sql: SqlClient.SqlClient, term: number) =>
  Effect.gen(function*() {
    const lock = sql.literal(sql.onDialectOrElse({ pg: () => " FOR SHARE", orElse: () => "" }))
    const rows = yield* SqlSchema.findAll({
      Request: Schema.Void,
      Result: Term,
      execute: () => held(sql`SELECT term FROM leader_lease WHERE id = 1${lock}`)
    })(undefined)
    const current = rows[0]?.term ?? null
    if (current !== term) return yield* Effect.fail(new StaleLeaderTerm({ term, current_term: current }))
  })
