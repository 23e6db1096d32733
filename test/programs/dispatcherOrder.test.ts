import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Fiber, TestClock } from "effect"
import { ClientId, DeliveryRejected, DeliveryTimeout } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { dispatchOnce, logged, programsEnv } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob } from "./seed.js"

const script = BrowserBridgeTest.BrowserBridgeScript
const store = ArtifactStore

/** The decision table's rows apply in the spec's order: each case meets two rows at once. */
describe("dispatcher decision order", () => {
  it.scoped("a missing conversation fails the job even while the system is paused", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const seen = yield* conversationWithJob("gone", T0)
      const sql = yield* SqlClient.SqlClient
      yield* sql`PRAGMA foreign_keys = OFF`
      yield* sql`DELETE FROM conversation_links WHERE local_conversation_id = ${seen.conversation.local_conversation_id}`
      yield* sql`DELETE FROM local_conversations WHERE local_conversation_id = ${seen.conversation.local_conversation_id}`
      yield* sql`PRAGMA foreign_keys = ON`
      yield* (yield* store).setSystemAutomation("paused")

      yield* dispatchOnce()
      expect(yield* getJob("job_gone")).toMatchObject({
        status: "failed",
        attempt_count: 1,
        last_error: "missing_local_conversation"
      })
      expect(yield* logged("job_deferred")).toEqual([])
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("a paused conversation without a link is deferred, not failed for the link", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("nolink", T0, { status: "paused", tab_id: 5 })
      yield* (yield* store).deactivateTabLinks(ClientId.make("firefox-chatgpt"), 5)
      yield* dispatchOnce()
      expect(yield* getJob("job_nolink")).toMatchObject({ status: "pending", attempt_count: 0, last_error: null })
      expect((yield* logged("job_deferred")).map((e) => e.result)).toEqual(["automation_paused"])
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("a paused conversation with a bad payload is deferred, not failed for the payload", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("badpaused", T0, { status: "paused", payload_kind: "json", payload: "{not json" })
      yield* dispatchOnce()
      expect(yield* getJob("job_badpaused")).toMatchObject({ status: "pending", attempt_count: 0, last_error: null })
      expect((yield* logged("job_deferred")).map((e) => e.result)).toEqual(["automation_paused"])
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("no route beats a bad payload: retryable route_unavailable, not terminal invalid_payload", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("shellbad", T0, { shell_page: true, payload_kind: "json", payload: "[1]" })
      yield* dispatchOnce()
      expect(yield* getJob("job_shellbad")).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "route_unavailable"
      })
    }).pipe(Effect.provide(programsEnv())))
})

describe("dispatcher outcomes", () => {
  it.scoped("backoff on a real job is capped at retry_max_delay_ms", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("capped", T0, { max_attempts: 5 })
      const bridge = yield* script
      const timeout = BrowserBridgeTest.rejected(new DeliveryTimeout({ request_id: "req_x" }))
      yield* bridge.respond(timeout, timeout, timeout)
      const delays: Array<number> = []
      for (let n = 1; n <= 3; n++) {
        const before = yield* TestClock.currentTimeMillis
        yield* dispatchOnce(n)
        const job = yield* getJob("job_capped")
        delays.push(job.next_attempt_at! - before)
        yield* TestClock.setTime(job.next_attempt_at!)
      }
      // 30 s, then 60 s capped at 45 s, then 120 s capped at 45 s.
      expect(delays).toEqual([30_000, 45_000, 45_000])
      expect(yield* getJob("job_capped")).toMatchObject({ status: "pending", attempt_count: 3 })
    }).pipe(Effect.provide(programsEnv({ retryBaseDelayMs: 30_000, retryMaxDelayMs: 45_000 }))))

  for (const code of ["missing_local_conversation", "invalid_payload", "missing_payload_text"] as const) {
    it.scoped(`a client answering ${code} fails the job at once with attempts left`, () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T0)
        yield* conversationWithJob("refused", T0, { max_attempts: 5 })
        yield* (yield* script).respond(
          BrowserBridgeTest.rejected(new DeliveryRejected({ request_id: "req_1", reason: code }))
        )
        yield* dispatchOnce()
        expect(yield* getJob("job_refused")).toMatchObject({ status: "failed", attempt_count: 1, last_error: code })
        expect((yield* logged("job_failed")).map((e) => e.result)).toEqual([code])
      }).pipe(Effect.provide(programsEnv())))
  }

  it.scoped("a client's free-text reason is stored as client_error and logged as sent", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("freetext", T0)
      const reason = "Not Snake Case!"
      yield* (yield* script).respond(BrowserBridgeTest.rejected(new DeliveryRejected({ request_id: "req_1", reason })))
      yield* dispatchOnce()
      expect(yield* getJob("job_freetext")).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "client_error"
      })
      const [line] = yield* logged("job_retry_scheduled")
      expect(line).toMatchObject({ result: "client_error", details: { reason } })
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("draining lets a delivery in flight finish and defers the jobs after it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("inflight", T0)
      const bridge = yield* script
      const release = yield* Deferred.make<void>()
      yield* bridge.respond(Deferred.await(release).pipe(Effect.zipRight(BrowserBridgeTest.accepted())))
      const tick = yield* Effect.fork(dispatchOnce(1))
      for (let i = 0; i < 200 && (yield* bridge.requests).length === 0; i++) yield* Effect.yieldNow()
      expect(yield* bridge.requests).toHaveLength(1)

      yield* (yield* store).setSystemAutomation("draining")
      yield* conversationWithJob("after", T0)
      yield* Deferred.succeed(release, undefined)
      expect((yield* Fiber.join(tick)).details).toMatchObject({ successful_jobs: 1 })
      expect(yield* getJob("job_inflight")).toMatchObject({ status: "done", attempt_count: 1 })

      expect((yield* dispatchOnce(2)).details).toMatchObject({ due_jobs: 1, skipped_jobs: 1 })
      expect(yield* getJob("job_after")).toMatchObject({ status: "pending", attempt_count: 0 })
      expect((yield* logged("job_deferred")).map((e) => e.result)).toEqual(["system_paused"])
      expect(yield* bridge.requests).toHaveLength(1)
    }).pipe(Effect.provide(programsEnv())))
})
