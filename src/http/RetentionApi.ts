import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { Schema } from "effect"
import { Authorization } from "./Auth.js"
import { Envelope } from "./Envelope.js"

/** What one pruning removed, and the cut-offs it used. */
export const PruneView = Schema.Struct({
  deleted_jobs: Schema.Int,
  deleted_log_files: Schema.Array(Schema.String),
  batches: Schema.Int,
  jobs_finished_before: Schema.Int,
  logs_before: Schema.Int
})

/** Retention on demand; the `renewal.retention` runner does the same every hour. */
export class RetentionApi extends HttpApiGroup.make("retention")
  .add(
    HttpApiEndpoint.post("prune", "/v1/renewal/prune")
      .addSuccess(Envelope(PruneView))
      .annotate(
        OpenApi.Summary,
        "Delete done/failed jobs older than --job-retention-days and log files older than --log-retention-days, now"
      )
  )
  .middleware(Authorization)
{}
