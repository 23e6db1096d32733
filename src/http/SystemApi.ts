import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { SystemOverview, SystemState } from "../domain/index.js"
import { Authorization } from "./Auth.js"
import { Envelope } from "./Envelope.js"

const set = <const Name extends string, const Path extends `/${string}`>(name: Name, path: Path, summary: string) =>
  HttpApiEndpoint.post(name, path).addSuccess(Envelope(SystemState)).annotate(OpenApi.Summary, summary)

/** The daemon-wide automation switch, stored in the database so it survives restarts. */
export class SystemApi extends HttpApiGroup.make("system")
  .add(
    HttpApiEndpoint.get("state", "/v1/system/state").addSuccess(Envelope(SystemOverview)).annotate(
      OpenApi.Summary,
      "The switch, this node, the leader and its term, and every node with its browser clients"
    )
  )
  .add(set("pause", "/v1/system/pause", "Pause: the dispatcher defers every job"))
  .add(set("resume", "/v1/system/resume", "Resume: back to running; waiting jobs become due at once"))
  .add(set("drain", "/v1/system/drain", "Drain: no new attempt starts, attempts in flight finish"))
  .middleware(Authorization)
{}
