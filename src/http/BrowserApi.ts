import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { Schema } from "effect"
import { BrowserClient, PlatformPolicy } from "../domain/index.js"
import { Authorization } from "./Auth.js"
import { Envelope } from "./Envelope.js"

/** `policy`: each platform's pacing and circuit, beside the clients (an addition to the spec's shape). */
export const BrowserClients = Schema.Struct({
  clients: Schema.Array(BrowserClient),
  policy: Schema.Array(PlatformPolicy)
})

/** The browser extension clients: connected, quiet, or recently lost. */
export class BrowserApi extends HttpApiGroup.make("browser")
  .add(
    HttpApiEndpoint.get("clients", "/v1/browser")
      .addSuccess(Envelope(BrowserClients))
      .annotate(OpenApi.Summary, "Bridge clients: fresh (seen within 30 s), stale, or lost (kept 10 min)")
  )
  .middleware(Authorization)
{}
