import { HttpServer } from "@effect/platform"
import { Clock, Context, Effect, Layer, Redacted } from "effect"
import * as Server from "../../src/http/Server.js"
import * as WebSocketBrowserBridge from "../../src/layers/bridge/WebSocketBrowserBridge.js"
import * as EventedArtifactStore from "../../src/layers/EventedArtifactStore.js"
import * as EventsLive from "../../src/layers/EventsLive.js"
import * as SqlLeases from "../../src/layers/sql/leases.js"
import * as SqliteJobHousekeeping from "../../src/layers/sqlite/SqliteJobHousekeeping.js"
import * as WakeupsLive from "../../src/layers/WakeupsLive.js"
import * as RetentionProgram from "../../src/programs/retention/Retention.js"
import { ApiToken } from "../../src/services/ApiToken.js"
import { ConductorConfig, defaultRenewalSettings } from "../../src/services/ConductorConfig.js"
import { defaultRetentionSettings, RetentionSettings } from "../../src/services/Retention.js"
import { QuietLogs } from "../support/quietLogs.js"
import * as RenewalLogTest from "../support/RenewalLogTest.js"
import { tempStoreLayer } from "../support/tempStore.js"
import * as TimedJobsTest from "./TimedJobsTest.js"

export const TOKEN = "test-token-0123456789"
export const VERSION = "0.0.0-test"

/** Where the server under test listens. */
export class BaseUrl extends Context.Tag("test/BaseUrl")<BaseUrl, string>() {}

const Config = Layer.effect(
  ConductorConfig,
  Effect.map(Clock.currentTimeMillis, (startedAt) => ({
    renewal: defaultRenewalSettings(),
    node: { nodeId: "node-test", role: "primary" as const, runId: "run_test", startedAt, version: VERSION }
  }))
)

/** The store publishes what it commits, as in the daemon. */
const Store = EventedArtifactStore.layer.pipe(
  Layer.provideMerge(tempStoreLayer),
  Layer.provideMerge(Layer.merge(Config, EventsLive.layer))
)

/** Pruning on demand over the real store; its log lines stay in memory. */
const Housekeeping = RetentionProgram.layer.pipe(
  Layer.provideMerge(SqliteJobHousekeeping.layer),
  Layer.provideMerge(RenewalLogTest.layer),
  Layer.provide(Layer.succeed(RetentionSettings, defaultRetentionSettings))
)

const Base = Layer.mergeAll(
  Housekeeping,
  WakeupsLive.layer,
  SqlLeases.layer,
  Layer.succeed(ApiToken, Redacted.make(TOKEN)),
  TimedJobsTest.layer
).pipe(Layer.provideMerge(Store))

const Url = Layer.effect(BaseUrl, HttpServer.addressWith((address) => Effect.succeed(Server.urlOf(address))))

/**
 * The real server on a free port over a real SQLite store in a temp dir and the real bridge;
 * only the timed-jobs scheduler is a test double. The store stays reachable for seeding.
 */
export const layer = Url.pipe(
  Layer.provideMerge(Server.layer({ host: "127.0.0.1", port: 0 })),
  Layer.provideMerge(WebSocketBrowserBridge.layer),
  Layer.provideMerge(Base),
  Layer.provide(QuietLogs)
)
