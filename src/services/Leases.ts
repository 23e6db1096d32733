import { Context, type Effect, type Option } from "effect"
import type { LeaderLease, NodeLease, NodeRole } from "../domain/index.js"

/** How often a node renews its leases, and how long they hold when it stops renewing. */
export const HEARTBEAT_MS = 1_000
export const DEFAULT_LEASE_MS = 5_000

/** One run of one node, as its leases name it. */
export interface LeaseHolder {
  readonly node_id: string
  readonly run_id: string
}

/** A node's lease with the browser clients it holds (none on a store without presence). */
export interface NodeWithClients extends NodeLease {
  readonly clients: ReadonlyArray<string>
}

/**
 * The leader lease and the nodes' leases, in the store every node shares. Times are the
 * caller's `Clock`; every operation is one statement, so two nodes racing never both win.
 */
export interface LeasesService {
  /** Records this node as alive until `lease_until`. */
  readonly beat: (
    node: LeaseHolder & { readonly role: NodeRole },
    now: number,
    lease_until: number
  ) => Effect.Effect<void>
  /**
   * Renews this run's leader lease, or takes it when it has lapsed (or was held by an earlier run
   * of this node) with the term increased by one. None when another node holds it.
   */
  readonly acquire: (holder: LeaseHolder, now: number, lease_until: number) => Effect.Effect<Option.Option<LeaderLease>>
  /** Gives the leader lease up (it lapses now, its term stays), if this run holds it. */
  readonly resign: (holder: LeaseHolder, now: number) => Effect.Effect<void>
  /** Lets this node's lease lapse now, so a survivor recovers whatever it left running. */
  readonly leave: (holder: LeaseHolder, now: number) => Effect.Effect<void>
  /** The leader lease as stored (it may have lapsed); none before anyone led. */
  readonly leader: Effect.Effect<Option.Option<LeaderLease>>
  /** Every node's lease, by node id. */
  readonly nodes: Effect.Effect<ReadonlyArray<NodeWithClients>>
  /**
   * Deletes the leases of other nodes that lapsed before `now` and returns them: each dead node
   * is returned to exactly one caller, which recovers what it left running.
   */
  readonly reap: (self: string, now: number) => Effect.Effect<ReadonlyArray<NodeLease>>
}

export class Leases extends Context.Tag("baa-conductor/Leases")<Leases, LeasesService>() {}
