import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import parsePrometheus from "parse-prometheus-text-format"
import { type DaemonProcess, spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { api, jobsOf, until } from "./api.js"
import { connect, reply } from "./bridgeClient.js"

class Daemon extends Context.Tag("e2e/MetricsDaemon")<Daemon, DaemonProcess>() {}

const DaemonLive = Layer.scoped(
  Daemon,
  Effect.flatMap(makeTempDir, (stateDir) => spawnDaemon({ stateDir, args: ["--interval-ms", "200"] })).pipe(
    Effect.orDie
  )
)

const scrape = (daemon: DaemonProcess, token: string | null = daemon.token) =>
  Effect.promise(async () => {
    const response = await fetch(`${daemon.url}/metrics`, {
      headers: token === null ? {} : { authorization: `Bearer ${token}` }
    })
    return { status: response.status, type: response.headers.get("content-type"), text: await response.text() }
  })

/**
 * The parsed exposition, and one sample's value by series name and labels. The parser folds a
 * histogram's labelled series into one, so series are read from a second parse without the
 * histogram TYPE lines, where `_bucket`, `_sum` and `_count` stay plain labelled samples.
 */
const metrics = (daemon: DaemonProcess) =>
  Effect.map(scrape(daemon), (r) => {
    expect(r.status).toBe(200)
    expect(r.type).toContain("text/plain")
    const families = parsePrometheus(r.text)
    const series = parsePrometheus(r.text.replace(/^# TYPE \S+ histogram$/gm, ""))
    const family = (name: string) => families.find((f) => f.name === name)
    const sample = (name: string, labels: Record<string, string>) =>
      series.filter((f) => f.name === name).flatMap((f) => f.metrics).find((m) =>
        Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)
      )
    const value = (name: string, labels: Record<string, string>) => Number(sample(name, labels)?.value ?? 0)
    return { family, sample, value }
  })

layer(DaemonLive, { excludeTestServices: true })("GET /metrics", (it) => {
  it.scoped("needs the token", () =>
    Effect.gen(function*() {
      const daemon = yield* Daemon
      const refused = yield* scrape(daemon, null)
      expect(refused.status).toBe(401)
      expect(JSON.parse(refused.text)).toMatchObject({ ok: false, error: "unauthorized" })
      expect((yield* scrape(daemon, "wrong-token")).status).toBe(401)
    }))

  it.scoped("parses as Prometheus text, and its counters move with a delivery", () =>
    Effect.gen(function*() {
      const daemon = yield* Daemon
      const browser = yield* connect(daemon.wsUrl, daemon.token, "firefox-metrics")
      const before = yield* metrics(daemon)
      const delivered = { outcome: "succeeded", reason: "none" }

      const first = yield* reply(browser, { conversation_id: "conv_m", message_id: "m_seen", tab_id: 7 })
      expect((yield* api(daemon, "POST", "/v1/timed-jobs/renewal.projector/run")).status).toBe(200)
      expect((yield* api(daemon, "POST", `/v1/renewal/conversations/${first.local_conversation_id}/auto`)).status).toBe(
        200
      )
      yield* reply(browser, { conversation_id: "conv_m", message_id: "m_renew", tab_id: 7 })
      yield* until("the job done", jobsOf(daemon, first.local_conversation_id), (jobs) => jobs[0]?.status === "done")

      const after = yield* metrics(daemon)
      expect(after.value("baa_deliveries_total", delivered)).toBe(before.value("baa_deliveries_total", delivered) + 1)
      expect(after.family("baa_deliveries_total")?.type).toBe("COUNTER")
      expect(after.value("baa_jobs", { status: "done" })).toBe(1)
      expect(after.value("baa_jobs", { status: "pending" })).toBe(0)
      expect(after.value("baa_bridge_clients", { status: "fresh" })).toBe(1)
      expect(after.value("baa_bridge_frames_total", { direction: "in", type: "hello" })).toBeGreaterThanOrEqual(1)
      expect(after.value("baa_bridge_frames_total", { direction: "out", type: "browser.proxy_delivery" })).toBe(1)

      const histogram = (name: string, labels: Record<string, string> = {}) => {
        expect(after.family(name)?.type).toBe("HISTOGRAM")
        return {
          count: after.value(`${name}_count`, labels),
          inf: after.value(`${name}_bucket`, { ...labels, le: "+Inf" })
        }
      }
      expect(histogram("baa_delivery_duration_seconds")).toEqual({ count: 1, inf: 1 })
      expect(histogram("baa_reply_to_delivery_seconds")).toEqual({ count: 1, inf: 1 })
      expect(histogram("baa_tick_duration_seconds", { runner: "renewal.dispatcher" }).count).toBeGreaterThan(0)
      expect(histogram("baa_tick_duration_seconds", { runner: "renewal.retention" }).count).toBeGreaterThan(0)

      // Requests are labelled by route pattern, never by the raw path.
      const requests = "baa_http_request_duration_seconds_count"
      expect(after.value(requests, { route: "/v1/renewal/conversations/:local_conversation_id/auto", status: "200" }))
        .toBe(1)
      expect(after.value(requests, { method: "POST", route: "/v1/timed-jobs/:runner/run", status: "200" })).toBe(1)
      expect(after.value(requests, { route: "/metrics", status: "200" })).toBe(1)
      expect(after.sample(requests, { route: `/v1/renewal/conversations/${first.local_conversation_id}/auto` }))
        .toBeUndefined()
    }))
})

layer(
  Layer.scoped(
    Daemon,
    Effect.flatMap(makeTempDir, (stateDir) => spawnDaemon({ stateDir, env: { BAA_METRICS_PUBLIC: "true" } })).pipe(
      Effect.orDie
    )
  ),
  { excludeTestServices: true }
)("GET /metrics with --metrics-public", (it) => {
  it.scoped("answers without the token; the API still needs it", () =>
    Effect.gen(function*() {
      const daemon = yield* Daemon
      const open = yield* scrape(daemon, null)
      expect(open.status).toBe(200)
      expect(parsePrometheus(open.text).map((f) => f.name)).toContain("baa_jobs")
      expect((yield* api(daemon, "GET", "/v1/renewal/jobs", null)).status).toBe(401)
    }))
})
