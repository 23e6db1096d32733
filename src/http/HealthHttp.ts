import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Clock, Effect } from "effect"
import { ConductorConfig } from "../services/ConductorConfig.js"
import { Api } from "./Api.js"

export const HealthHttp = HttpApiBuilder.group(
  Api,
  "health",
  (handlers) =>
    handlers.handle("healthz", () =>
      Effect.gen(function*() {
        const { node } = yield* ConductorConfig
        const now = yield* Clock.currentTimeMillis
        return { ok: true as const, version: node.version, uptime_ms: Math.max(0, now - node.startedAt) }
      }))
)
