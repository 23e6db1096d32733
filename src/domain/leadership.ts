import { Data, Schema } from "effect"
import { Millis } from "./ids.js"
import { NodeRole, SystemState } from "./SystemState.js"

/** The leader lease: who leads, under which term (the fencing token), until when. */
export const LeaderLease = Schema.Struct({
  node_id: Schema.String,
  term: Schema.Int,
  lease_until: Millis
})
export type LeaderLease = typeof LeaderLease.Type

/** A node's own lease, renewed on every heartbeat: when it lapses the node is taken for dead. */
export const NodeLease = Schema.Struct({
  node_id: Schema.String,
  run_id: Schema.String,
  role: NodeRole,
  lease_until: Millis,
  last_seen_at: Millis
})
export type NodeLease = typeof NodeLease.Type

/** A node as `GET /v1/system/state` shows it, with the browser clients it holds. */
export const SystemNode = Schema.Struct({
  node_id: Schema.String,
  role: NodeRole,
  run_id: Schema.String,
  lease_until: Millis,
  leader: Schema.Boolean,
  clients: Schema.Array(Schema.String)
})
export type SystemNode = typeof SystemNode.Type

/**
 * A projection commit carried a term that is no longer the lease's: another node has led since
 * (this one was frozen or cut off past its lease). Nothing was written.
 */
export class StaleLeaderTerm extends Data.TaggedError("StaleLeaderTerm")<{
  readonly term: number
  readonly current_term: number | null
}> {}

/** `GET /v1/system/state`: the switch and this node, plus the leader and every node on the store. */
export const SystemOverview = Schema.Struct({
  ...SystemState.fields,
  leader: Schema.NullOr(LeaderLease),
  nodes: Schema.Array(SystemNode)
})
export type SystemOverview = typeof SystemOverview.Type
