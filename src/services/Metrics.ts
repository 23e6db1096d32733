import { Duration, Metric, MetricBoundaries, MetricLabel } from "effect"

/**
 * Every metric the daemon keeps, defined once with Effect's `Metric`; `GET /metrics` exports
 * them (docs/metrics.md lists them). Durations are recorded in seconds, as Prometheus expects.
 */

const seconds = (start: number, count: number) => MetricBoundaries.exponential({ start, factor: 2, count })

const inSeconds = <Type, Out>(metric: Metric.Metric<Type, number, Out>) =>
  Metric.mapInput(metric, (d: Duration.Duration) => Duration.toSeconds(d))

/** Jobs by `status`, counted in the store at scrape time. */
export const jobs = Metric.gauge("baa_jobs", { description: "renewal jobs by status" })

/** Deliveries handed to the bridge, by `outcome` (`succeeded`, `failed`) and `reason` (a failure code, `none`). */
export const deliveries = Metric.counter("baa_deliveries_total", {
  description: "renewal deliveries by outcome and reason",
  incremental: true
})

/** From handing a delivery to the bridge to the client's answer (or the failure). */
export const deliveryDuration = inSeconds(
  Metric.histogram("baa_delivery_duration_seconds", seconds(0.01, 14), "one delivery, from send to answer")
)

/** From the assistant reply being observed to its renewal being delivered. */
export const replyToDelivery = Metric.histogram(
  "baa_reply_to_delivery_seconds",
  seconds(0.5, 16),
  "from the reply's observed_at to its renewal's delivery"
)

/** One tick of a timed-jobs runner, by `runner`. */
export const tickDuration = inSeconds(
  Metric.histogram("baa_tick_duration_seconds", seconds(0.001, 16), "one timed-jobs tick, by runner")
)

/** Bridge clients by `status` (`fresh`, `stale`, `lost`), read from the bridge at scrape time. */
export const bridgeClients = Metric.gauge("baa_bridge_clients", { description: "browser clients by status" })

/** WebSocket frames by `direction` (`in`, `out`) and `type`. */
export const frames = Metric.counter("baa_bridge_frames_total", {
  description: "bridge frames by direction and type",
  incremental: true
})

/** HTTP requests by `method`, `route` (the route pattern, never the raw path) and `status`. */
export const httpRequests = inSeconds(
  Metric.histogram("baa_http_request_duration_seconds", seconds(0.0005, 16), "HTTP requests by route and status")
)

/** Rows and files removed by retention, by `kind` (`jobs`, `log_files`). */
export const pruned = Metric.counter("baa_pruned_total", { description: "removed by retention", incremental: true })

/** Past this many frame types (a client may send any), a counter is tagged per frame instead of kept. */
const MAX_FRAME_TYPES = 64

// Tagged once per direction and type, with one list of labels (as the HTTP request metric is):
// tagging per frame cost a key and a registry lookup on every frame, three of them on each
// reply's way to its delivery.
const frameCounter = (direction: "in" | "out") => {
  const byType = new Map<string, Metric.Metric.Counter<number>>()
  return (type: string) => {
    let counter = byType.get(type)
    if (counter === undefined) {
      counter = Metric.taggedWithLabels(frames, [
        MetricLabel.make("direction", direction),
        MetricLabel.make("type", type)
      ])
      if (byType.size < MAX_FRAME_TYPES) byType.set(type, counter)
    }
    return Metric.update(counter, 1)
  }
}

export const frameIn = frameCounter("in")
export const frameOut = frameCounter("out")
