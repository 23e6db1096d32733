import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Clock, Duration, Effect, Metric } from "effect"
import * as Metrics from "../services/Metrics.js"
import { Api } from "./Api.js"
import { PATH as SOCKET_PATH } from "./BrowserSocketRoute.js"
import { PATH as METRICS_PATH } from "./MetricsRoute.js"

interface Route {
  readonly method: string
  readonly pattern: string
  readonly segments: ReadonlyArray<string>
}

const segmentsOf = (path: string) => path.split("/").filter((s) => s !== "")

const route = (method: string, pattern: string): Route => ({ method, pattern, segments: segmentsOf(pattern) })

/** Every route the daemon serves, as patterns: the API's endpoints, and the routes beside it. */
const ROUTES: ReadonlyArray<Route> = [
  ...Object.values(Api.groups).flatMap((group) =>
    Object.values(group.endpoints).map((endpoint) => route(endpoint.method, endpoint.path))
  ),
  route("GET", "/openapi.json"),
  route("GET", "/docs"),
  route("GET", SOCKET_PATH),
  route("GET", METRICS_PATH)
]

const matches = (segments: ReadonlyArray<string>) => (candidate: Route) =>
  candidate.segments.length === segments.length &&
  candidate.segments.every((s, i) => s.startsWith(":") || s === segments[i])

/** The pattern a request matched (`/v1/renewal/jobs/:job_id`), so labels stay few whatever the paths. */
export const routeOf = (method: string, url: string): string => {
  const segments = segmentsOf(url.split("?")[0] ?? "")
  const found = ROUTES.filter(matches(segments))
  return (found.find((r) => r.method === method) ?? found[0])?.pattern ?? "unmatched"
}

/** Times every request and records it by method, route pattern and status. */
export const layer = HttpLayerRouter.middleware<{ handles: unknown }>()(
  (app) =>
    Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const started = yield* Clock.currentTimeNanos
      const response = yield* app
      const elapsed = (yield* Clock.currentTimeNanos) - started
      const metric = Metrics.httpRequests.pipe(
        Metric.tagged("method", request.method),
        Metric.tagged("route", routeOf(request.method, request.url)),
        Metric.tagged("status", String(response.status))
      )
      yield* Metric.update(metric, Duration.nanos(elapsed))
      return response
    }),
  { global: true }
)
