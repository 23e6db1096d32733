import { Clock, Effect } from "effect"
import { newBatchId, type NodeLease } from "../../domain/index.js"
import type { ArtifactStoreService } from "../../services/ArtifactStore.js"
import type { NodeIdentity } from "../../services/ConductorConfig.js"
import type { RenewalLogService } from "../../services/RenewalLog.js"
import { StaleRunning } from "../dispatcher/errors.js"
import { tickLine } from "../dispatcher/logLines.js"
import { logRecovered } from "../dispatcher/recovery.js"

export interface NodeRecoveryDeps {
  readonly store: ArtifactStoreService
  readonly log: RenewalLogService
  readonly node: NodeIdentity
}

/**
 * A node whose lease lapsed is dead to the others: the one survivor that removed its lease puts
 * back every job it left `running`, with the same compare-and-set recovery as a stale job (the
 * lost attempt counts), at once rather than after the execution timeout. Returns how many.
 */
export const recoverDeadNode = Effect.fn("Leadership.recoverDeadNode")(function*(
  { log, node, store }: NodeRecoveryDeps,
  dead: NodeLease
) {
  const now = yield* Clock.currentTimeMillis
  const batch_id = yield* newBatchId
  const code = new StaleRunning().code
  // Every run of the dead node differs from this run's id; `claimed_before: 0` adds nobody else's.
  const recovered = yield* store.recoverStaleJobs({
    node_id: dead.node_id,
    run_id: node.runId,
    claimed_before: 0,
    now,
    last_error: code,
    log_path: log.pathAt(now)
  })
  yield* log.write(
    tickLine(batch_id, "node_lease_expired", recovered.length > 0 ? "recovered" : "idle", {
      node_id: dead.node_id,
      run_id: dead.run_id,
      lease_until: dead.lease_until,
      recovered_by: node.nodeId,
      recovered_jobs: recovered.length
    })
  )
  yield* logRecovered(log, batch_id, code, recovered, { dead_node: dead.node_id })
  return recovered.length
})
