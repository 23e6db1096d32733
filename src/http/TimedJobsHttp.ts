import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { TimedJobs } from "../services/TimedJobs.js"
import { Api } from "./Api.js"
import { NotFound } from "./ApiErrors.js"

export const TimedJobsHttp = HttpApiBuilder.group(Api, "timedJobs", (handlers) =>
  handlers
    .handle("runners", () =>
      Effect.flatMap(TimedJobs, (jobs) => jobs.runners).pipe(Effect.map((runners) => ({ runners }))))
    .handle("run", ({ path }) =>
      Effect.flatMap(TimedJobs, (jobs) =>
        jobs.runNow(path.runner)).pipe(
          Effect.map((tick) => ({ runner: path.runner, ...tick })),
          Effect.catchTag("UnknownRunner", (error) => Effect.fail(NotFound.record("runner", error.name)))
        )))
