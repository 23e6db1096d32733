import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { Schema } from "effect"
import { Envelope } from "./Envelope.js"

export const Health = Schema.Struct({
  ok: Schema.Literal(true),
  version: Schema.String,
  uptime_ms: Schema.Int
})

/**
 * Liveness without a token. The server starts only once the store is open and migrated, so a
 * daemon that answers here is ready; before that nothing listens at all.
 */
export class HealthApi extends HttpApiGroup.make("health")
  .add(
    HttpApiEndpoint.get("healthz", "/healthz")
      .addSuccess(Envelope(Health))
      .annotate(OpenApi.Summary, "Liveness and version (no token needed)")
  )
{}
