import { ConfigError, Effect, Layer } from "effect"
import * as Dispatcher from "./dispatcher/Dispatcher.js"
import * as Projector from "./projector/Projector.js"
import * as Scheduler from "./timedJobs/Scheduler.js"
import type { ArtifactStore } from "../services/ArtifactStore.js"
import type { BrowserBridge } from "../services/BrowserBridge.js"
import { ConductorConfig } from "../services/ConductorConfig.js"
import type { RenewalLog } from "../services/RenewalLog.js"
import { TimedJobs } from "../services/TimedJobs.js"
import { DISPATCHER, PROJECTOR, Wakeups } from "../services/Wakeups.js"

/**
 * The projector and the dispatcher on the timed-jobs scheduler. Building it recovers the jobs an
 * earlier run of this node left `running`, then starts both schedules with a first tick at once
 * (work that came due while the daemon was down should not wait an interval); releasing it
 * stops them.
 * An unknown template is a `ConfigError` naming `template`.
 */
export const layer: Layer.Layer<
  TimedJobs,
  ConfigError.ConfigError,
  ArtifactStore | BrowserBridge | RenewalLog | Wakeups | ConductorConfig
> = Layer.scoped(
  TimedJobs,
  Effect.gen(function* () {
    const { node } = yield* ConductorConfig
    const projector = yield* Projector.make.pipe(
      Effect.mapError((error) => ConfigError.InvalidData(["template"], error.message))
    )
    const dispatcher = yield* Dispatcher.make
    if (node.role === "primary") yield* dispatcher.recoverAtStartup
    const timedJobs = yield* Scheduler.make([projector, dispatcher.runner])
    const wakeups = yield* Wakeups
    yield* wakeups.wake(PROJECTOR)
    yield* wakeups.wake(DISPATCHER)
    return timedJobs
  })
)
