import * as HttpApi from "@effect/platform/HttpApi"
import * as OpenApi from "@effect/platform/OpenApi"
import { InternalErrorWire, InvalidRequestWire, PayloadTooLargeWire } from "./ApiErrors.js"
import { BrowserApi } from "./BrowserApi.js"
import { HealthApi } from "./HealthApi.js"
import { JobLogApi } from "./JobLogApi.js"
import { withoutDecodeError } from "./OpenApiDoc.js"
import { RenewalApi } from "./RenewalApi.js"
import { RenewalControlApi } from "./RenewalControlApi.js"
import { RetentionApi } from "./RetentionApi.js"
import { SystemApi } from "./SystemApi.js"
import { TimedJobsApi } from "./TimedJobsApi.js"

/**
 * The whole HTTP API, from which the server, the OpenAPI document and the CLI's client are all
 * derived. Every route may answer 400 (a refused parameter), 413 and 500.
 */
export class Api extends HttpApi.make("baa-conductor")
  .add(HealthApi)
  .add(RenewalApi)
  .add(RenewalControlApi)
  .add(JobLogApi)
  .add(SystemApi)
  .add(BrowserApi)
  .add(TimedJobsApi)
  .add(RetentionApi)
  .addError(InvalidRequestWire)
  .addError(PayloadTooLargeWire)
  .addError(InternalErrorWire)
  .annotate(OpenApi.Title, "baa-conductor")
  .annotate(
    OpenApi.Description,
    "Watch and steer the renewal of web-chat conversations. Every /v1 route needs Authorization: Bearer <token>. " +
      "Live changes stream from GET /v1/events (text/event-stream, not described here; see docs/api.md)."
  )
  .annotate(OpenApi.Transform, withoutDecodeError)
{}
