import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { jobLogLines } from "../programs/jobLog/JobLog.js"
import { Api } from "./Api.js"
import { NotFound } from "./ApiErrors.js"

export const JobLogHttp = HttpApiBuilder.group(
  Api,
  "renewalLog",
  (handlers) =>
    handlers.handle("getJobLog", ({ path }) =>
      jobLogLines(path.job_id).pipe(
        Effect.catchTag("RecordNotFound", (error) => Effect.fail(NotFound.record(error.resource, error.id)))
      ))
)
