import * as NodeContext from "@effect/platform-node/NodeContext"
import * as HttpServer from "@effect/platform/HttpServer"
import { Clock, Console, Effect, Layer, Option, type Redacted } from "effect"
import { sortableId } from "../domain/index.js"
import * as Server from "../http/Server.js"
import * as WebSocketBrowserBridge from "../layers/bridge/WebSocketBrowserBridge.js"
import * as DeliveryPolicyLive from "../layers/DeliveryPolicyLive.js"
import * as EventedArtifactStore from "../layers/EventedArtifactStore.js"
import * as EventsLive from "../layers/EventsLive.js"
import * as JsonlRenewalLog from "../layers/JsonlRenewalLog.js"
import * as PgArtifactStore from "../layers/pg/PgArtifactStore.js"
import * as PgJobHousekeeping from "../layers/pg/PgJobHousekeeping.js"
import * as PgPresence from "../layers/pg/PgPresence.js"
import * as PgWakeups from "../layers/pg/PgWakeups.js"
import * as SqlLeases from "../layers/sql/leases.js"
import * as SqliteArtifactStore from "../layers/sqlite/SqliteArtifactStore.js"
import * as SqliteJobHousekeeping from "../layers/sqlite/SqliteJobHousekeeping.js"
import * as WakeupsLive from "../layers/WakeupsLive.js"
import * as Leadership from "../programs/leadership/Leadership.js"
import * as RenewalPrograms from "../programs/RenewalPrograms.js"
import { ApiToken } from "../services/ApiToken.js"
import { ConductorConfig } from "../services/ConductorConfig.js"
import { Deliveries } from "../services/Deliveries.js"
import { RetentionSettings } from "../services/Retention.js"
import * as DaemonConfig from "./DaemonConfig.js"
import type { StartFlags } from "./DaemonFlags.js"
import * as DaemonLock from "./DaemonLock.js"
import * as DaemonToken from "./DaemonToken.js"
import * as HeapTuning from "./HeapTuning.js"
import * as StateFiles from "./StateFiles.js"

/** This run of this node: a fresh sortable run id and the start time, every start. */
const identity = (settings: DaemonConfig.DaemonSettings) =>
  Layer.effect(
    ConductorConfig,
    Effect.gen(function*() {
      return {
        renewal: settings.renewal,
        node: {
          nodeId: settings.nodeId,
          role: settings.role,
          runId: yield* sortableId("run_"),
          startedAt: yield* Clock.currentTimeMillis,
          version: DaemonConfig.VERSION
        }
      }
    })
  )

// Printed whatever the log level (daemon.md): tools and scripts wait for this line to know the URL.
const ready = Layer.effectDiscard(
  HttpServer.addressWith((address) => Console.log(`baa-conductor listening on ${Server.urlOf(address)}`))
)

// Built after the server, so released before it: deliveries in flight finish while their
// browser clients are still connected, and only then are the sockets closed.
const settleDeliveries = Layer.scopedDiscard(
  Effect.flatMap(Deliveries, (deliveries) =>
    Effect.addFinalizer(() =>
      deliveries.size.pipe(
        Effect.tap((in_flight) =>
          in_flight === 0
            ? Effect.void
            : Effect.logInfo("Daemon.settlingDeliveries").pipe(Effect.annotateLogs({ in_flight }))
        ),
        Effect.zipRight(deliveries.settle)
      )
    ))
)

/**
 * SQLite with in-process wake-ups, or PostgreSQL with wake-ups that reach every node on it; the
 * jobs' housekeeping and the leases on the same database either way.
 */
const storeAndWakeups = (settings: DaemonConfig.DaemonSettings) =>
  Option.match(settings.postgresUrl, {
    onNone: () =>
      Layer.mergeAll(WakeupsLive.layer, SqliteJobHousekeeping.layer, SqlLeases.layer).pipe(
        Layer.provideMerge(SqliteArtifactStore.layer({ filename: settings.databaseFile, backgroundCheckpoints: true }))
      ),
    onSome: (url) =>
      Layer.mergeAll(PgWakeups.layer, PgJobHousekeeping.layer, SqlLeases.layer).pipe(
        Layer.provideMerge(PgArtifactStore.layer({ url }))
      )
  })

/**
 * The whole daemon, built in dependency order: its identity and live events, the store (opened
 * and migrated, publishing what it commits), then wake-ups and log, the bridge, the programs, and
 * last the HTTP server, so nothing listens before everything behind it is ready. Releasing it
 * runs the same steps backwards.
 */
export const layer = (settings: DaemonConfig.DaemonSettings, token: Redacted.Redacted<string>) => {
  const store = EventedArtifactStore.layer.pipe(
    Layer.provideMerge(storeAndWakeups(settings)),
    Layer.provideMerge(Layer.merge(identity(settings), EventsLive.layer))
  )
  const foundation = Layer.mergeAll(
    Layer.succeed(ApiToken, token),
    DeliveryPolicyLive.layer(settings.pacing),
    JsonlRenewalLog.layer(settings.stateDir),
    Layer.succeed(RetentionSettings, settings.retention)
  ).pipe(Layer.provideMerge(store))
  const bridge = WebSocketBrowserBridge.layer.pipe(Layer.provideMerge(foundation))
  // On PostgreSQL the other daemons learn which browser clients this one holds.
  const present = Option.isSome(settings.postgresUrl)
    ? PgPresence.layer(settings.leaseMs).pipe(Layer.provideMerge(bridge))
    : bridge
  // Leases before the programs: a lone daemon leads from its projector's first tick.
  const led = Leadership.layer({ leaseMs: settings.leaseMs }).pipe(Layer.provideMerge(present))
  const programs = RenewalPrograms.layer.pipe(Layer.provideMerge(led))
  return Layer.merge(ready, settleDeliveries).pipe(
    Layer.provideMerge(
      Server.layer({ host: settings.host, port: settings.port, metricsPublic: settings.metricsPublic })
    ),
    Layer.provide(programs),
    Layer.provide(NodeContext.layer)
  )
}

/**
 * `baa-conductor start`: check the flags together, lock the state directory, settle the token,
 * then serve until interrupted.
 */
export const start = Effect.fn("Daemon.start")(
  function*(flags: StartFlags) {
    const settings = yield* DaemonConfig.resolve(flags)
    yield* HeapTuning.tune
    yield* StateFiles.secure(settings.stateDir, settings.databaseFile)
    // After the umask is set (the lock is private too), before anything touches jobs.
    yield* DaemonLock.acquire(settings.stateDir)
    const token = yield* DaemonToken.resolve(settings.token, settings.stateDir)
    yield* Effect.logDebug("Daemon.start").pipe(
      Effect.annotateLogs({
        state_dir: settings.stateDir,
        database: Option.isSome(settings.postgresUrl) ? "postgres" : settings.databaseFile,
        node_id: settings.nodeId
      })
    )
    // No tracer is installed, so no span is read: every tick, store call and SQL statement
    // built one (a clock read, attributes, the statement's text) and dropped it. The HTTP
    // server turns them off for requests the same way.
    return yield* Layer.launch(layer(settings, token)).pipe(Effect.withTracerEnabled(false))
  },
  Effect.scoped,
  Effect.provide(NodeContext.layer)
)
