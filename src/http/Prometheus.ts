import { Effect, Metric, MetricState, Option } from "effect"
import type * as MetricPair from "effect/MetricPair"
import { type Metric as PromMetric, Registry } from "prom-client"

/** Only the daemon's own metrics are exported, whatever else a library records. */
const PREFIX = "baa_"

type Labels = Record<string, string | number>
interface Sample {
  readonly value: number
  readonly labels: Labels
  readonly metricName?: string
}
interface Family {
  readonly name: string
  readonly help: string
  readonly type: "counter" | "gauge" | "histogram"
  readonly values: Array<Sample>
}

const labelsOf = (pair: MetricPair.MetricPair.Untyped): Labels =>
  Object.fromEntries(pair.metricKey.tags.map((tag) => [tag.key, tag.value]))

const le = (boundary: number) => (boundary === Number.POSITIVE_INFINITY ? "+Inf" : String(boundary))

const typeOf = (state: unknown): Family["type"] | null =>
  MetricState.isCounterState(state)
    ? "counter"
    : MetricState.isGaugeState(state)
    ? "gauge"
    : MetricState.isHistogramState(state)
    ? "histogram"
    : null

const addSamples = (family: Family, pair: MetricPair.MetricPair.Untyped) => {
  const labels = labelsOf(pair)
  const state: unknown = pair.metricState
  if (MetricState.isCounterState(state)) family.values.push({ value: Number(state.count), labels })
  if (MetricState.isGaugeState(state)) family.values.push({ value: Number(state.value), labels })
  if (MetricState.isHistogramState(state)) {
    for (const [boundary, count] of state.buckets) {
      family.values.push({ metricName: `${family.name}_bucket`, value: count, labels: { ...labels, le: le(boundary) } })
    }
    family.values.push({ metricName: `${family.name}_sum`, value: state.sum, labels })
    family.values.push({ metricName: `${family.name}_count`, value: state.count, labels })
  }
}

/** Effect's metric pairs grouped into Prometheus families, one per metric name. */
export const families = (pairs: ReadonlyArray<MetricPair.MetricPair.Untyped>): ReadonlyArray<Family> => {
  const byName = new Map<string, Family>()
  for (const pair of pairs) {
    const name = pair.metricKey.name
    if (!name.startsWith(PREFIX)) continue
    const type = typeOf(pair.metricState)
    if (type === null) continue
    let family = byName.get(name)
    if (family === undefined) {
      family = { name, help: Option.getOrElse(pair.metricKey.description, () => name), type, values: [] }
      byName.set(name, family)
    }
    addSamples(family, pair)
  }
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
}

/**
 * The text exposition of the current snapshot, written by prom-client's registry: each family
 * is registered as a collector whose `get` answers the values Effect already aggregated.
 */
export const exposition = Effect.gen(function*() {
  const registry = new Registry()
  for (const family of families(Metric.unsafeSnapshot())) {
    const collector = { name: family.name, get: () => Promise.resolve({ ...family, aggregator: "sum" }) }
    registry.registerMetric(collector as unknown as PromMetric)
  }
  const text = yield* Effect.promise(() => registry.metrics())
  return { text, contentType: registry.contentType }
})
