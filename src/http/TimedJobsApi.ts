import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"
import { BatchId, Millis } from "../domain/index.js"
import { NotFoundWire } from "./ApiErrors.js"
import { Authorization } from "./Auth.js"
import { Envelope } from "./Envelope.js"
import { RunnerPath } from "./Params.js"

export const Tick = Schema.Struct({
  batch_id: BatchId,
  trigger: Schema.Literal("schedule", "wake", "manual"),
  started_at: Millis,
  finished_at: Millis,
  result: Schema.String,
  details: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})

export const Runner = Schema.Struct({
  name: Schema.String,
  interval_ms: Schema.Int,
  last_tick: Schema.NullOr(Tick)
})

export const Runners = Schema.Struct({ runners: Schema.Array(Runner) })

/** What `run` answers: the tick it ran, and for which runner. */
export const RunResult = Schema.Struct({ runner: Schema.String, ...Tick.fields })

/** The timed-jobs scheduler: its runners, their last tick, and a way to run one tick now. */
export class TimedJobsApi extends HttpApiGroup.make("timedJobs")
  .add(HttpApiEndpoint.get("runners", "/v1/timed-jobs").addSuccess(Envelope(Runners)))
  .add(
    HttpApiEndpoint.post("run", "/v1/timed-jobs/:runner/run")
      .setPath(RunnerPath)
      .addSuccess(Envelope(RunResult))
      .addError(NotFoundWire)
      .annotate(OpenApi.Summary, "Run one tick of a runner now (trigger manual) and return it")
  )
  .middleware(Authorization) {}
