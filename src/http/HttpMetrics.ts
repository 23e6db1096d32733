import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Clock, Duration, Effect, Metric, MetricLabel } from "effect"
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

// One tagged metric per method, route pattern and status (few of each), built once: tagging on
// every request rebuilt and hashed the metric key each time.
const tagged = new Map<string, typeof Metrics.httpRequests>()
const metricOf = (method: string, route: string, status: number) => {
  const key = `${method} ${route} ${status}`
  let metric = tagged.get(key)
  if (metric === undefined) {
    // One list of labels, the same array on every update: the registry's hook is cached by that
    // array, and nested `tagged` made a new one (and a registry lookup) per request.
    metric = Metric.taggedWithLabels(Metrics.httpRequests, [
      MetricLabel.make("method", method),
      MetricLabel.make("route", route),
      MetricLabel.make("status", String(status))
    ])
    tagged.set(key, metric)
  }
  return metric
}

/** Times every request and records it by method, route pattern and status. */
export const layer = HttpLayerRouter.middleware<{ handles: unknown }>()(
  // Plain flatMaps: this runs on every request, and a generator's steps cost more.
  (app) =>
    Effect.flatMap(
      HttpServerRequest.HttpServerRequest,
      (request) =>
        Effect.flatMap(Clock.currentTimeNanos, (started) =>
          Effect.flatMap(app, (response) =>
            Effect.flatMap(Clock.currentTimeNanos, (ended) =>
              Effect.as(
                Metric.update(
                  metricOf(request.method, routeOf(request.method, request.url), response.status),
                  Duration.nanos(ended - started)
                ),
                response
              ))))
    ),
  { global: true }
)
