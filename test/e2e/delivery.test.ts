import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { api, data, jobsOf, until } from "./api.js"
import { connect, reply } from "./bridgeClient.js"

const FAST = ["--interval-ms", "200", "--retry-base-delay-ms", "50", "--retry-max-delay-ms", "100"]

describe("renewal delivery through the real daemon", () => {
  it.scopedLive("a reply in an auto conversation goes back into its tab and the job ends done; a manual one is left alone", () =>
    Effect.gen(function* () {
      const daemon = yield* spawnDaemon({ stateDir: yield* makeTempDir, args: FAST })
      const browser = yield* connect(daemon.wsUrl, daemon.token, "firefox-chatgpt")

      // First sight makes the conversation (manual by default); switched to auto, the next reply is renewed.
      const first = yield* reply(browser, { conversation_id: "conv_auto", message_id: "m_auto_1", tab_id: 17 })
      const lc = first.local_conversation_id
      // A projector tick decides that reply now, while the conversation is still manual.
      expect((yield* api(daemon, "POST", "/v1/timed-jobs/renewal.projector/run")).status).toBe(200)
      expect((yield* api(daemon, "POST", `/v1/renewal/conversations/${lc}/auto`)).body.data.automation_status).toBe("auto")
      yield* reply(browser, { conversation_id: "conv_auto", message_id: "m_auto_2", tab_id: 17, text: "second   reply\n here" })

      const delivery = yield* browser.waitFor("delivery of m_auto_2", (f) => f.type === "browser.proxy_delivery")
      expect(delivery).toMatchObject({
        platform: "chatgpt",
        conversation_id: "conv_auto",
        tab_id: 17,
        assistant_message_id: "m_auto_2",
        message_text: "[renewal] second reply here\nhttps://chatgpt.com/c/conv_auto"
      })
      const [job] = yield* until("the job done", jobsOf(daemon, lc), (jobs) => jobs[0]?.status === "done")
      expect(job).toMatchObject({ message_id: "m_auto_2", attempt_count: 1, last_error: null, next_attempt_at: null })
      expect(delivery.plan_id).toBe(`plan_${job.job_id}`)
      expect(job.finished_at).toEqual(expect.any(Number))
      expect((yield* jobsOf(daemon, lc)).length).toBe(1)

      const manual = yield* reply(browser, { conversation_id: "conv_manual", message_id: "m_manual_1", tab_id: 18 })
      // A tick of each runner now decides the message; a manual conversation gets no job.
      expect((yield* api(daemon, "POST", "/v1/timed-jobs/renewal.projector/run")).status).toBe(200)
      expect((yield* api(daemon, "POST", "/v1/timed-jobs/renewal.dispatcher/run")).status).toBe(200)
      expect(yield* jobsOf(daemon, manual.local_conversation_id)).toEqual([])
      expect((yield* browser.deliveries).map((f) => f.assistant_message_id)).toEqual(["m_auto_2"])
      const conversation = yield* data(daemon, `/v1/renewal/conversations/${manual.local_conversation_id}`)
      expect(conversation).toMatchObject({ automation_status: "manual", recent_jobs: [], active_link: { target_id: "tab:18" } })
    }))

  it.scopedLive("a refused delivery is retried with the same plan_id until attempts run out; retry and cancel steer it", () =>
    Effect.gen(function* () {
      const daemon = yield* spawnDaemon({
        stateDir: yield* makeTempDir,
        args: [...FAST, "--default-automation-status", "auto", "--max-attempts", "3"]
      })
      const browser = yield* connect(daemon.wsUrl, daemon.token, "firefox-retry")
      yield* browser.answer({ kind: "reject", reason: "tab_busy" })
      const ack = yield* reply(browser, { conversation_id: "conv_retry", message_id: "m_retry", tab_id: 5 })

      const [failed] = yield* until("the job failed", jobsOf(daemon, ack.local_conversation_id), (jobs) => jobs[0]?.status === "failed")
      expect(failed).toMatchObject({ attempt_count: 3, max_attempts: 3, last_error: "tab_busy", next_attempt_at: null })
      const plans = (yield* browser.deliveries).map((f) => f.plan_id)
      expect(plans).toEqual([`plan_${failed.job_id}`, `plan_${failed.job_id}`, `plan_${failed.job_id}`])

      const cancelFailed = yield* api(daemon, "POST", `/v1/renewal/jobs/${failed.job_id}/cancel`)
      expect(cancelFailed.status).toBe(409)
      expect(cancelFailed.body).toMatchObject({ ok: false, error: "conflict", details: { status: "failed" } })

      yield* browser.answer({ kind: "accept" })
      const retried = yield* api(daemon, "POST", `/v1/renewal/jobs/${failed.job_id}/retry`)
      expect(retried.status).toBe(200)
      expect(retried.body.data).toMatchObject({ status: "pending", max_attempts: 4, finished_at: null })
      const [done] = yield* until("the retried job done", jobsOf(daemon, ack.local_conversation_id), (jobs) => jobs[0]?.status === "done")
      expect(done.attempt_count).toBe(4)
      expect((yield* browser.deliveries).map((f) => f.plan_id)).toEqual(Array(4).fill(`plan_${failed.job_id}`))

      const again = yield* api(daemon, "POST", `/v1/renewal/jobs/${failed.job_id}/retry`)
      expect(again.status).toBe(409)
      expect(again.body.details).toMatchObject({ resource: "renewal_job", resource_id: failed.job_id, status: "done" })
    }))
})
