import { ConfigError, Context, Effect, Layer } from "effect"
import type { ArtifactStore } from "../services/ArtifactStore.js"
import type { BrowserBridge } from "../services/BrowserBridge.js"
import { ConductorConfig } from "../services/ConductorConfig.js"
import { Deliveries } from "../services/Deliveries.js"
import type { JobHousekeeping } from "../services/JobHousekeeping.js"
import type { RenewalLog } from "../services/RenewalLog.js"
import { RETENTION, Retention, type RetentionSettings } from "../services/Retention.js"
import { TimedJobs } from "../services/TimedJobs.js"
import { DISPATCHER, PROJECTOR, Wakeups } from "../services/Wakeups.js"
import * as Dispatcher from "./dispatcher/Dispatcher.js"
import * as Projector from "./projector/Projector.js"
import * as RetentionProgram from "./retention/Retention.js"
import * as Scheduler from "./timedJobs/Scheduler.js"

/**
 * The projector, the dispatcher and retention on the timed-jobs scheduler. Building it recovers the jobs an
 * earlier run of this node left `running`, then starts both schedules with a first tick at once
 * (work that came due while the daemon was down should not wait an interval); releasing it
 * stops them (the daemon first lets the deliveries in flight finish: `Deliveries.settle`).
 * An unknown template is a `ConfigError` naming `template`.
 */
export const layer: Layer.Layer<
  TimedJobs | Retention | Deliveries,
  ConfigError.ConfigError,
  ArtifactStore | BrowserBridge | RenewalLog | Wakeups | ConductorConfig | JobHousekeeping | RetentionSettings
> = Layer.scopedContext(
  Effect.gen(function*() {
    const { node } = yield* ConductorConfig
    const projector = yield* Projector.make.pipe(
      Effect.mapError((error) => ConfigError.InvalidData(["template"], error.message))
    )
    const dispatcher = yield* Dispatcher.make
    if (node.role === "primary") yield* dispatcher.recoverAtStartup
    const retention = yield* RetentionProgram.make
    const timedJobs = yield* Scheduler.make([projector, dispatcher.runner, retention.runner])
    const wakeups = yield* Wakeups
    yield* wakeups.wake(PROJECTOR)
    yield* wakeups.wake(DISPATCHER)
    yield* wakeups.wake(RETENTION)
    return Context.make(TimedJobs, timedJobs).pipe(
      Context.add(Retention, { pruneNow: retention.pruneNow }),
      Context.add(Deliveries, dispatcher.inFlight.deliveries)
    )
  })
)
