import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Layer, Metric } from "effect"
import { ClientStatus } from "../domain/index.js"
import { ApiToken, tokenMatches } from "../services/ApiToken.js"
import { BrowserBridge } from "../services/BrowserBridge.js"
import { JobHousekeeping } from "../services/JobHousekeeping.js"
import * as Metrics from "../services/Metrics.js"
import { errorResponse, Unauthorized } from "./ApiErrors.js"
import { exposition } from "./Prometheus.js"

export const PATH = "/metrics"

const refused = new Unauthorized({ message: "a valid token is required: Authorization: Bearer <token>" })

/** The gauges read from the store and the bridge now, so a scrape sees the state as it is. */
const sampleGauges = Effect.gen(function*() {
  const counts = yield* (yield* JobHousekeeping).countByStatus
  for (const [status, n] of Object.entries(counts)) yield* Metric.set(Metric.tagged(Metrics.jobs, "status", status), n)
  const clients = yield* (yield* BrowserBridge).clients
  for (const status of ClientStatus.literals) {
    const n = clients.filter((client) => client.status === status).length
    yield* Metric.set(Metric.tagged(Metrics.bridgeClients, "status", status), n)
  }
})

const handler = (metricsPublic: boolean) => (request: HttpServerRequest.HttpServerRequest) =>
  Effect.gen(function*() {
    const given = /^Bearer +(\S+) *$/i.exec(request.headers["authorization"] ?? "")?.[1]
    if (!metricsPublic && !tokenMatches(yield* ApiToken, given)) {
      return HttpServerResponse.setHeader(yield* errorResponse(refused), "www-authenticate", "Bearer")
    }
    yield* sampleGauges
    const { text, contentType } = yield* exposition
    return HttpServerResponse.text(text, { contentType })
  })

/** `GET /metrics` in Prometheus text format: behind the token unless `--metrics-public`. */
export const layer = (options: { readonly metricsPublic: boolean }) =>
  Layer.unwrapEffect(
    Effect.map(Effect.context<ApiToken | BrowserBridge | JobHousekeeping>(), (context) =>
      HttpLayerRouter.add("GET", PATH, (request) =>
        Effect.provide(handler(options.metricsPublic)(request), context)))
  )
