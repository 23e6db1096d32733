import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { Schema } from "effect"
import { NotFoundWire } from "./ApiErrors.js"
import { Authorization } from "./Auth.js"
import { Envelope } from "./Envelope.js"
import { JobPath } from "./Params.js"

/** One line of the timed-jobs JSONL log (`docs/logs.md`). */
export const LogLineView = Schema.Struct({
  ts: Schema.Int,
  runner: Schema.String,
  batch_id: Schema.String,
  stage: Schema.String,
  result: Schema.String,
  details: Schema.optional(Schema.Record({ key: Schema.String, value: Schema.Unknown }))
})

export const JobLog = Schema.Struct({
  job_id: Schema.String,
  log_path: Schema.NullOr(Schema.String),
  /** Lines found; `lines` keeps the newest 1,000 of them. */
  total: Schema.Int,
  lines: Schema.Array(LogLineView)
})

/** The log lines about one job, read from its `log_path` file and the days after it. */
export class JobLogApi extends HttpApiGroup.make("renewalLog")
  .add(
    HttpApiEndpoint.get("getJobLog", "/v1/renewal/jobs/:job_id/log")
      .setPath(JobPath)
      .addSuccess(Envelope(JobLog))
      .addError(NotFoundWire)
      .annotate(OpenApi.Summary, "The JSONL log lines about one job, oldest first (the newest 1,000)")
  )
  .middleware(Authorization)
{}
