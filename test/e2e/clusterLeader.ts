import { Effect } from "effect"
import { data } from "./api.js"
import type { Cluster, ClusterNode } from "./daemonCluster.js"

export interface Leader {
  readonly node_id: string
  readonly term: number
  readonly lease_until: number
}

/** `GET /v1/system/state` of one node: `leader` and `nodes` as the shared database has them. */
export const systemState = (node: ClusterNode) =>
  data(node.daemon, "/v1/system/state") as Effect.Effect<
    { readonly node_id: string; readonly leader: Leader | null; readonly nodes: ReadonlyArray<any> }
  >

/** The leader as the first live node reports it (null while nobody holds the lease). */
export const leaderOf = (cluster: Cluster) => Effect.map(systemState(cluster.live()[0]!), (s) => s.leader)

/** The cluster node a leader names. */
export const nodeOf = (cluster: Cluster, leader: Leader) => cluster.nodes.find((n) => n.nodeId === leader.node_id)!
