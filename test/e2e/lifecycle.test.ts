import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { api, data, jobsOf, until } from "./api.js"
import { connect, reply } from "./bridgeClient.js"

const AUTO = ["--interval-ms", "200", "--default-automation-status", "auto", "--retry-base-delay-ms", "50", "--retry-max-delay-ms", "100"]

describe("the daemon process", () => {
  it.scopedLive("answers /healthz and the error envelopes, and exits 0 on SIGTERM", () =>
    Effect.gen(function* () {
      const daemon = yield* spawnDaemon({ stateDir: yield* makeTempDir })
      const health = yield* api(daemon, "GET", "/healthz", null)
      expect(health.status).toBe(200)
      expect(health.body.data).toMatchObject({ ok: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/) })

      const unauthorized = yield* api(daemon, "GET", "/v1/renewal/jobs", null)
      expect(unauthorized.status).toBe(401)
      expect(unauthorized.body).toMatchObject({ ok: false, error: "unauthorized", request_id: unauthorized.requestId })
      const invalid = yield* api(daemon, "GET", "/v1/renewal/jobs?limit=1000")
      expect(invalid.status).toBe(400)
      expect(invalid.body).toMatchObject({ ok: false, error: "invalid_request", details: { field: "limit" } })
      const missing = yield* api(daemon, "GET", "/v1/renewal/conversations/lc_nope")
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ ok: false, error: "not_found", details: { resource: "conversation", resource_id: "lc_nope" } })
      expect((yield* api(daemon, "GET", "/v1/unknown")).status).toBe(404)

      expect(yield* daemon.stop("SIGTERM")).toBe(0)
    }))

  it.scopedLive("after SIGTERM and a restart on the same state, no work is repeated", () =>
    Effect.gen(function* () {
      const stateDir = yield* makeTempDir
      const first = yield* spawnDaemon({ stateDir, args: AUTO })
      const ack = yield* Effect.scoped(
        Effect.gen(function* () {
          const browser = yield* connect(first.wsUrl, first.token, "firefox-restart")
          const ack = yield* reply(browser, { conversation_id: "conv_restart", message_id: "m_restart", tab_id: 9 })
          yield* until("the job done", jobsOf(first, ack.local_conversation_id), (jobs) => jobs[0]?.status === "done")
          return ack
        })
      )
      expect(yield* first.stop("SIGTERM")).toBe(0)

      const second = yield* spawnDaemon({ stateDir, args: AUTO })
      expect(second.token).toBe(first.token)
      const browser = yield* connect(second.wsUrl, second.token, "firefox-restart")
      yield* api(second, "POST", "/v1/timed-jobs/renewal.projector/run")
      yield* api(second, "POST", "/v1/timed-jobs/renewal.dispatcher/run")
      const jobs = yield* jobsOf(second, ack.local_conversation_id)
      expect(jobs).toHaveLength(1)
      expect(jobs[0]).toMatchObject({ status: "done", attempt_count: 1 })
      expect(yield* browser.deliveries).toEqual([])
      expect((yield* data(second, "/v1/browser")).clients[0]).toMatchObject({ client_id: "firefox-restart", status: "fresh" })
    }))

  it.scopedLive("killed with -9 mid-delivery, the restarted daemon delivers the job again with the same plan_id", () =>
    Effect.gen(function* () {
      const stateDir = yield* makeTempDir
      const args = [...AUTO, "--max-attempts", "10"]
      const first = yield* spawnDaemon({ stateDir, args })
      const { inFlight, lc } = yield* Effect.scoped(
        Effect.gen(function* () {
          const browser = yield* connect(first.wsUrl, first.token, "firefox-crash")
          yield* browser.answer({ kind: "silent" })
          const ack = yield* reply(browser, { conversation_id: "conv_crash", message_id: "m_crash", tab_id: 11 })
          const inFlight = yield* browser.waitFor("the delivery", (f) => f.type === "browser.proxy_delivery")
          yield* until("the job running", jobsOf(first, ack.local_conversation_id), (jobs) => jobs[0]?.status === "running")
          expect(yield* first.stop("SIGKILL")).toBeNull()
          return { inFlight, lc: ack.local_conversation_id }
        })
      )

      const second = yield* spawnDaemon({ stateDir, args })
      const browser = yield* connect(second.wsUrl, second.token, "firefox-crash")
      const again = yield* browser.waitFor("the delivery again", (f) => f.type === "browser.proxy_delivery")
      expect(again).toMatchObject({ plan_id: inFlight.plan_id, tab_id: 11, assistant_message_id: "m_crash" })
      const [job] = yield* until("the job done", jobsOf(second, lc), (jobs) => jobs[0]?.status === "done")
      expect(inFlight.plan_id).toBe(`plan_${job.job_id}`)
      expect(job.attempt_count).toBeGreaterThanOrEqual(2)
    }))
})
