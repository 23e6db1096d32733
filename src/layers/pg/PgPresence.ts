import { SqlClient } from "@effect/sql"
import { Clock, Effect, Layer, Schedule } from "effect"
import { BrowserBridge } from "../../services/BrowserBridge.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import * as Presence from "./presence.js"

/** How often a daemon says which clients it holds, and how long that holds if it stops saying so. */
export const HEARTBEAT_MS = 1_000
export const LEASE_MS = 5_000

/**
 * Routing by presence: every heartbeat this daemon records the bridge clients connected to it,
 * under a lease, and drops the ones that left; when it stops, its rows go at once. A daemon that
 * dies stops renewing, and after the lease its clients' jobs are anyone's again.
 */
export const layer = (
  leaseMs: number = LEASE_MS
): Layer.Layer<never, never, SqlClient.SqlClient | BrowserBridge | ConductorConfig> =>
  Layer.scopedDiscard(
    Effect.gen(function*() {
      const presence = yield* Presence.make
      const bridge = yield* BrowserBridge
      const { node } = yield* ConductorConfig
      const holder = { node_id: node.nodeId, run_id: node.runId }

      const beat = Effect.gen(function*() {
        const clients = yield* bridge.clients
        const now = yield* Clock.currentTimeMillis
        yield* presence.hold(holder, clients.map((c) => c.client_id), now, now + leaseMs)
      }).pipe(Effect.catchAllCause((cause) => Effect.logWarning("recording bridge presence failed", cause)))

      yield* Effect.addFinalizer(() => presence.release(holder).pipe(Effect.catchAllCause(() => Effect.void)))
      yield* beat.pipe(Effect.repeat(Schedule.spaced(HEARTBEAT_MS)), Effect.forkScoped)
    })
  )
