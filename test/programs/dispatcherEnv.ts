import { Effect, Layer } from "effect"
import { BatchId, type NodeRole } from "../../src/domain/index.js"
import * as SqliteJobHousekeeping from "../../src/layers/sqlite/SqliteJobHousekeeping.js"
import * as WakeupsLive from "../../src/layers/WakeupsLive.js"
import * as Dispatcher from "../../src/programs/dispatcher/Dispatcher.js"
import type { NodeIdentity, RenewalSettings } from "../../src/services/ConductorConfig.js"
import { defaultRetentionSettings, RetentionSettings } from "../../src/services/Retention.js"
import type { TickContext } from "../../src/services/TimedJobs.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { QuietLogs } from "../support/quietLogs.js"
import * as RenewalLogTest from "../support/RenewalLogTest.js"
import { tempStoreLayer } from "../support/tempStore.js"
import { configLayer, NODE_ID } from "./fixtures.js"

/** Real SQLite on a temp file, the scripted bridge, the in-memory log, wake-ups and a config. */
export const programsEnv = (renewal: Partial<RenewalSettings> = {}, identity: Partial<NodeIdentity> = {}) =>
  Layer.mergeAll(
    SqliteJobHousekeeping.layer.pipe(Layer.provideMerge(tempStoreLayer)),
    Layer.succeed(RetentionSettings, defaultRetentionSettings),
    BrowserBridgeTest.layer,
    RenewalLogTest.layer,
    WakeupsLive.layer,
    configLayer(renewal, identity)
  ).pipe(Layer.provideMerge(QuietLogs))

export const tickContext = (n = 1, role: NodeRole = "primary"): TickContext => ({
  batch_id: BatchId.make(`batch_test_${n}`),
  trigger: "manual",
  interval_ms: 5000,
  max_messages_per_tick: 10,
  max_tasks_per_tick: 10,
  settle_delay_ms: 0,
  log_dir: RenewalLogTest.DIRECTORY,
  node_id: NODE_ID,
  role
})

/** One dispatcher tick, as the scheduler would run it. */
export const dispatchOnce = (n = 1) =>
  Dispatcher.make.pipe(Effect.flatMap((dispatcher) => dispatcher.runner.tick(tickContext(n))))

export const logged = (stage: string) => RenewalLogTest.RenewalLogEntries.pipe(Effect.flatMap((e) => e.stages(stage)))
