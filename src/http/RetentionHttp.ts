import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { Retention } from "../services/Retention.js"
import { Api } from "./Api.js"

export const RetentionHttp = HttpApiBuilder.group(
  Api,
  "retention",
  (handlers) => handlers.handle("prune", () => Effect.flatMap(Retention, (retention) => retention.pruneNow))
)
