import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { Schema } from "effect"
import { RunnerStatus, TickRecord } from "../domain/index.js"
import { NotFoundWire } from "./ApiErrors.js"
import { Authorization } from "./Auth.js"
import { Envelope } from "./Envelope.js"
import { RunnerPath } from "./Params.js"

export const Runners = Schema.Struct({ runners: Schema.Array(RunnerStatus) })

/** What `run` answers: the tick it ran, and for which runner. */
export const RunResult = Schema.Struct({ runner: Schema.String, ...TickRecord.fields })

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
  .middleware(Authorization)
{}
