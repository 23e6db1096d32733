import { Clock, Effect, Option } from "effect"
import type { LeaderLease, SystemNode } from "../../domain/index.js"
import { BrowserBridge } from "../../services/BrowserBridge.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import { Leases } from "../../services/Leases.js"

/**
 * The leader (none while its lease has lapsed and nobody has taken it yet) and every node with the
 * browser clients it holds: this node's as its bridge sees them now, the others' as their last
 * heartbeat stored them.
 */
export const leaderAndNodes = Effect.gen(function*() {
  const leases = yield* Leases
  const bridge = yield* BrowserBridge
  const { node } = yield* ConductorConfig
  const now = yield* Clock.currentTimeMillis
  const [stored, rows, clients] = yield* Effect.all([leases.leader, leases.nodes, bridge.clients], {
    concurrency: "unbounded"
  })
  const leader: LeaderLease | null = Option.getOrNull(Option.filter(stored, (lease) => lease.lease_until > now))
  const own = clients.filter((c) => c.status !== "lost").map((c) => c.client_id).sort()
  const nodes: ReadonlyArray<SystemNode> = rows.map((row) => ({
    node_id: row.node_id,
    role: row.role,
    run_id: row.run_id,
    lease_until: row.lease_until,
    leader: leader !== null && leader.node_id === row.node_id,
    clients: row.node_id === node.nodeId ? own : row.clients
  }))
  return { leader, nodes }
})
