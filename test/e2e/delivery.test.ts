import { expect, layer } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { type DaemonProcess, spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { api, data, jobsOf, until } from "./api.js"
import { type BridgeClient, connect, reply } from "./bridgeClient.js"

class Daemon extends Context.Tag("e2e/Daemon")<Daemon, DaemonProcess>() {}

// One daemon for the whole file: fast ticks and retries, and a recheck delay far beyond any wait
// here, so a deferred job delivered after a switch proves it went at once.
const DaemonLive = Layer.scoped(
  Daemon,
  Effect.flatMap(makeTempDir, (stateDir) =>
    spawnDaemon({
      stateDir,
      args: [
        "--interval-ms",
        "200",
        "--retry-base-delay-ms",
        "50",
        "--retry-max-delay-ms",
        "100",
        "--recheck-delay-ms",
        "600000"
      ]
    })).pipe(Effect.orDie)
)

/** A conversation seen once (and decided while `manual`), then switched to `auto`. */
const autoConversation = (daemon: DaemonProcess, browser: BridgeClient, conversation_id: string, tab_id: number) =>
  Effect.gen(function*() {
    const first = yield* reply(browser, { conversation_id, message_id: `${conversation_id}_seen`, tab_id })
    expect((yield* api(daemon, "POST", "/v1/timed-jobs/renewal.projector/run")).status).toBe(200)
    const switched = yield* api(daemon, "POST", `/v1/renewal/conversations/${first.local_conversation_id}/auto`)
    expect(switched.body.data.automation_status).toBe("auto")
    return first.local_conversation_id as string
  })

/** The dispatcher's `job_deferred` results about one job, from the JSONL logs on disk. */
const deferrals = (daemon: DaemonProcess, job_id: string) =>
  Effect.sync(() => {
    const dir = join(daemon.stateDir, "logs", "timed-jobs")
    return readdirSync(dir)
      .flatMap((file) => readFileSync(join(dir, file), "utf8").split("\n"))
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.stage === "job_deferred" && entry.details?.job_id === job_id)
      .map((entry) => entry.result as string)
  })

layer(DaemonLive, { excludeTestServices: true })("renewal through the real daemon", (it) => {
  it.scoped("a reply in an auto conversation goes back into its tab and ends done; a manual one is left alone", () =>
    Effect.gen(function*() {
      const daemon = yield* Daemon
      const browser = yield* connect(daemon.wsUrl, daemon.token, "firefox-chatgpt")
      const lc = yield* autoConversation(daemon, browser, "conv_auto", 17)
      yield* reply(browser, {
        conversation_id: "conv_auto",
        message_id: "m_auto",
        tab_id: 17,
        text: "second   reply\n here"
      })

      const delivery = yield* browser.waitFor("delivery of m_auto", (f) => f.type === "browser.proxy_delivery")
      expect(delivery).toMatchObject({
        platform: "chatgpt",
        conversation_id: "conv_auto",
        tab_id: 17,
        assistant_message_id: "m_auto",
        message_text: "[renewal] second reply here\nhttps://chatgpt.com/c/conv_auto"
      })
      const [job] = yield* until("the job done", jobsOf(daemon, lc), (jobs) => jobs[0]?.status === "done")
      expect(job).toMatchObject({ message_id: "m_auto", attempt_count: 1, last_error: null, next_attempt_at: null })
      expect(delivery.plan_id).toBe(`plan_${job.job_id}`)
      expect((yield* jobsOf(daemon, lc)).length).toBe(1)

      const manual = yield* reply(browser, { conversation_id: "conv_manual", message_id: "m_manual", tab_id: 18 })
      // A tick of each runner decides the message now; a manual conversation gets no job.
      expect((yield* api(daemon, "POST", "/v1/timed-jobs/renewal.projector/run")).status).toBe(200)
      expect((yield* api(daemon, "POST", "/v1/timed-jobs/renewal.dispatcher/run")).status).toBe(200)
      expect(yield* jobsOf(daemon, manual.local_conversation_id)).toEqual([])
      expect((yield* browser.deliveries).map((f) => f.assistant_message_id)).toEqual(["m_auto"])
      const conversation = yield* data(daemon, `/v1/renewal/conversations/${manual.local_conversation_id}`)
      expect(conversation).toMatchObject({
        automation_status: "manual",
        recent_jobs: [],
        active_link: { target_id: "tab:18" }
      })
    }))

  it.scoped("a refused delivery is retried with the same plan_id until attempts run out; retry and cancel steer it", () =>
    Effect.gen(function*() {
      const daemon = yield* Daemon
      const browser = yield* connect(daemon.wsUrl, daemon.token, "firefox-retry")
      const lc = yield* autoConversation(daemon, browser, "conv_retry", 5)
      yield* browser.answer({ kind: "reject", reason: "tab_busy" })
      yield* reply(browser, { conversation_id: "conv_retry", message_id: "m_retry", tab_id: 5 })

      const [failed] = yield* until("the job failed", jobsOf(daemon, lc), (jobs) => jobs[0]?.status === "failed")
      expect(failed).toMatchObject({ attempt_count: 3, max_attempts: 3, last_error: "tab_busy", next_attempt_at: null })
      expect((yield* browser.deliveries).map((f) => f.plan_id)).toEqual(Array(3).fill(`plan_${failed.job_id}`))

      const cancelFailed = yield* api(daemon, "POST", `/v1/renewal/jobs/${failed.job_id}/cancel`)
      expect(cancelFailed.status).toBe(409)
      expect(cancelFailed.body).toMatchObject({ ok: false, error: "conflict", details: { status: "failed" } })

      yield* browser.answer({ kind: "accept" })
      const retried = yield* api(daemon, "POST", `/v1/renewal/jobs/${failed.job_id}/retry`)
      expect(retried.status).toBe(200)
      expect(retried.body.data).toMatchObject({ status: "pending", max_attempts: 4, finished_at: null })
      const [done] = yield* until("the retried job done", jobsOf(daemon, lc), (jobs) => jobs[0]?.status === "done")
      expect(done.attempt_count).toBe(4)
      expect((yield* browser.deliveries).map((f) => f.plan_id)).toEqual(Array(4).fill(`plan_${failed.job_id}`))

      const again = yield* api(daemon, "POST", `/v1/renewal/jobs/${failed.job_id}/retry`)
      expect(again.status).toBe(409)
      expect(again.body.details).toMatchObject({ resource: "renewal_job", resource_id: failed.job_id, status: "done" })
    }))

  it.scoped("system and conversation pauses defer a job without counting attempts; switching back delivers it at once", () =>
    Effect.gen(function*() {
      const daemon = yield* Daemon
      const browser = yield* connect(daemon.wsUrl, daemon.token, "firefox-pause")
      const lc = yield* autoConversation(daemon, browser, "conv_pause", 3)

      expect((yield* api(daemon, "POST", "/v1/system/pause")).body.data.automation).toBe("paused")
      yield* reply(browser, { conversation_id: "conv_pause", message_id: "m_pause", tab_id: 3 })
      const [job] = yield* until("a job", jobsOf(daemon, lc), (jobs) => jobs.length === 1)
      yield* until("a system_paused deferral", deferrals(daemon, job.job_id), (d) => d.includes("system_paused"))
      const waiting = (yield* jobsOf(daemon, lc))[0]
      expect(waiting).toMatchObject({ status: "pending", attempt_count: 0 })
      expect(waiting.next_attempt_at - waiting.created_at).toBeGreaterThanOrEqual(600000 - 1000)

      // The conversation paused too: resuming the system re-checks the job, which now waits on the conversation.
      yield* api(daemon, "POST", `/v1/renewal/conversations/${lc}/paused`)
      expect((yield* api(daemon, "POST", "/v1/system/resume")).body.data.automation).toBe("running")
      yield* until(
        "an automation_paused deferral",
        deferrals(daemon, job.job_id),
        (d) => d.includes("automation_paused")
      )
      expect((yield* jobsOf(daemon, lc))[0]).toMatchObject({ status: "pending", attempt_count: 0 })
      expect(yield* browser.deliveries).toEqual([])

      yield* api(daemon, "POST", `/v1/renewal/conversations/${lc}/auto`)
      const delivery = yield* browser.waitFor("the delivery after auto", (f) => f.type === "browser.proxy_delivery")
      expect(delivery).toMatchObject({ plan_id: `plan_${job.job_id}`, tab_id: 3 })
      const [done] = yield* until("the job done", jobsOf(daemon, lc), (jobs) => jobs[0]?.status === "done")
      expect(done.attempt_count).toBe(1)
    }))

  it.effect("answers /healthz without a token and the 400/401/404 envelopes", () =>
    Effect.gen(function*() {
      const daemon = yield* Daemon
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
      expect(missing.body).toMatchObject({
        ok: false,
        error: "not_found",
        details: { resource: "conversation", resource_id: "lc_nope" }
      })
      expect((yield* api(daemon, "GET", "/v1/unknown")).status).toBe(404)
    }))
})
