import type { SystemOverview } from "../domain/index.js"
import { table, time } from "./output.js"

/** `leader  desk-1 (term 4, lease until …)`, or `none` while nobody holds the lease. */
export const leaderText = (leader: SystemOverview["leader"]): string =>
  leader === null ? "none" : `${leader.node_id} (term ${leader.term}, lease until ${time(leader.lease_until)})`

/** Every node on the store: its role, whether it leads, its lease and its browser clients. */
export const nodesTable = (nodes: SystemOverview["nodes"]): string =>
  table(
    ["node", "role", "leader", "lease until", "clients"],
    nodes.map((n) => [
      n.node_id,
      n.role,
      n.leader ? "yes" : "no",
      time(n.lease_until),
      n.clients.length === 0 ? "-" : n.clients.join(", ")
    ])
  )
