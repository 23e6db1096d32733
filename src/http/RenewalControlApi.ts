import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { ConflictWire, NotFoundWire } from "./ApiErrors.js"
import { Authorization } from "./Auth.js"
import { Envelope } from "./Envelope.js"
import { ConversationPath, JobPath } from "./Params.js"
import { ConversationView, JobView } from "./Views.js"

const setStatus = <const Name extends string, const Path extends `/${string}`>(
  name: Name,
  path: Path,
  summary: string
) =>
  HttpApiEndpoint.post(name, path)
    .setPath(ConversationPath)
    .addSuccess(Envelope(ConversationView))
    .addError(NotFoundWire)
    .annotate(OpenApi.Summary, summary)

/** The operator's levers on one conversation and one job. Each answers with the updated record. */
export class RenewalControlApi extends HttpApiGroup.make("renewalControl")
  .add(
    setStatus(
      "setManual",
      "/v1/renewal/conversations/:local_conversation_id/manual",
      "Set manual: no new jobs, pending ones wait"
    )
  )
  .add(
    setStatus(
      "setAuto",
      "/v1/renewal/conversations/:local_conversation_id/auto",
      "Set auto: jobs are made and sent; waiting jobs become due at once"
    )
  )
  .add(
    setStatus(
      "setPaused",
      "/v1/renewal/conversations/:local_conversation_id/paused",
      "Set paused: jobs are kept and deferred"
    )
  )
  .add(
    HttpApiEndpoint.post("retryJob", "/v1/renewal/jobs/:job_id/retry")
      .setPath(JobPath)
      .addSuccess(Envelope(JobView))
      .addError(NotFoundWire)
      .addError(ConflictWire)
      .annotate(OpenApi.Summary, "Send a failed job back to pending, due now (409 unless failed)")
  )
  .add(
    HttpApiEndpoint.post("cancelJob", "/v1/renewal/jobs/:job_id/cancel")
      .setPath(JobPath)
      .addSuccess(Envelope(JobView))
      .addError(NotFoundWire)
      .addError(ConflictWire)
      .annotate(OpenApi.Summary, "Fail a pending job with last_error \"cancelled\" (409 unless pending)")
  )
  .middleware(Authorization)
{}
