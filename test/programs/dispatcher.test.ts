import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { NoActiveClient } from "../../src/domain/index.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { dispatchOnce, logged, programsEnv } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob } from "./seed.js"

const script = BrowserBridgeTest.BrowserBridgeScript

describe("dispatcher: the reference scenarios", () => {
  it.scoped("a due job is delivered through the bridge and is done after one attempt", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("success", T0, {
        payload_kind: "json",
        payload: JSON.stringify({ kind: "renewal.message", version: 1, text: "[renewal] keepalive" })
      })
      yield* (yield* script).respond(BrowserBridgeTest.accepted())

      const tick = yield* dispatchOnce()
      const job = yield* getJob("job_success")
      const requests = yield* (yield* script).requests

      expect(tick).toEqual({
        result: "ok",
        details: {
          due_jobs: 1,
          launched_jobs: 1,
          successful_jobs: 1,
          retried_jobs: 0,
          failed_jobs: 0,
          skipped_jobs: 0,
          errored_jobs: 0,
          superseded_jobs: 0,
          recovered_jobs: 0
        }
      })
      expect(requests).toHaveLength(1)
      expect(requests[0]).toMatchObject({
        client_id: "firefox-chatgpt",
        plan_id: "plan_job_success",
        platform: "chatgpt",
        conversation_id: "conv_success",
        tab_id: 17,
        page_url: "https://chatgpt.com/c/conv_success",
        assistant_message_id: "msg_success",
        message_text: "[renewal] keepalive",
        timeout_ms: 20_000
      })
      expect(job).toMatchObject({
        status: "done",
        attempt_count: 1,
        last_error: null,
        next_attempt_at: null,
        finished_at: T0,
        started_at: T0,
        last_attempt_at: T0,
        log_path: "/test-state/logs/timed-jobs/2026-03-30.jsonl"
      })
      expect(job.target_snapshot?.target.kind).toBe("browser.proxy_delivery")
      expect((yield* logged("job_attempt_started")).map((e) => e.result)).toEqual(["attempt_started"])
      expect((yield* logged("job_completed")).map((e) => e.result)).toEqual(["attempt_succeeded"])
      expect((yield* logged("scan_completed"))[0]?.details).toMatchObject({ due_jobs: 1, successful_jobs: 1 })
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("a paused conversation's job is deferred; a failing delivery retries at now + 1 then fails", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("paused", T0, { platform: "claude", status: "paused", tab_id: 11 })
      yield* conversationWithJob("retry", T0, { platform: "claude", tab_id: 12, max_attempts: 2 })
      const bridge = yield* script
      yield* bridge.respond(BrowserBridgeTest.rejected(new NoActiveClient({ client_id: "firefox-claude" })))

      const first = yield* dispatchOnce(1)
      const paused = yield* getJob("job_paused")
      const retry = yield* getJob("job_retry")
      expect(first.result).toBe("ok")
      expect(first.details).toMatchObject({ due_jobs: 2, skipped_jobs: 1, retried_jobs: 1 })
      expect(paused).toMatchObject({ status: "pending", attempt_count: 0, next_attempt_at: T0 + 10_000 })
      expect(retry).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "no_active_client",
        next_attempt_at: T0 + 1
      })
      expect(yield* bridge.requests).toHaveLength(1)
      expect((yield* logged("job_deferred")).map((e) => e.result)).toEqual(["automation_paused"])
      expect((yield* logged("job_retry_scheduled")).map((e) => e.result)).toEqual(["no_active_client"])

      yield* TestClock.adjust("1 millis")
      yield* bridge.respond(BrowserBridgeTest.rejected(new NoActiveClient({ client_id: "firefox-claude" })))
      const second = yield* dispatchOnce(2)
      const failed = yield* getJob("job_retry")
      expect(second.result).toBe("ok")
      expect(failed).toMatchObject({
        status: "failed",
        attempt_count: 2,
        last_error: "no_active_client",
        next_attempt_at: null,
        finished_at: T0 + 1
      })
      expect(yield* bridge.requests).toHaveLength(2)
      expect((yield* logged("job_failed")).map((e) => e.result)).toEqual(["no_active_client"])
    }).pipe(Effect.provide(programsEnv({ intervalMs: 5000, retryBaseDelayMs: 1, retryMaxDelayMs: 1 }))))

  it.scoped("an empty store makes an idle tick with a scan window", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const tick = yield* dispatchOnce()
      expect(tick.result).toBe("idle")
      expect((yield* logged("scan_window"))[0]).toMatchObject({ result: "ok", details: { due_before: T0, limit: 10 } })
      expect((yield* logged("scan_completed"))[0]).toMatchObject({
        runner: "renewal.dispatcher",
        batch_id: "batch_test_1",
        result: "idle",
        details: { due_jobs: 0, launched_jobs: 0, successful_jobs: 0, retried_jobs: 0, failed_jobs: 0, skipped_jobs: 0 }
      })
    }).pipe(Effect.provide(programsEnv())))
})
