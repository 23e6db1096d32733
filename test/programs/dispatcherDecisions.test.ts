import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { ClientId, DeliveryRejected, DeliveryTimeout } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { dispatchOnce, logged, programsEnv } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob, getJob, observe } from "./seed.js"

const script = BrowserBridgeTest.BrowserBridgeScript
const store = ArtifactStore

/** Every row of the dispatcher's decision table, on the real store; the bridge dies if called unscripted. */
describe("dispatcher decision table", () => {
  it.scoped("local conversation missing: failed at once, attempt counted", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const seen = yield* conversationWithJob("orphan", T0)
      const sql = yield* SqlClient.SqlClient
      // The schema forbids orphans; only a damaged or hand-edited database has them.
      yield* sql`PRAGMA foreign_keys = OFF`
      yield* sql`DELETE FROM conversation_links WHERE local_conversation_id = ${seen.conversation.local_conversation_id}`
      yield* sql`DELETE FROM local_conversations WHERE local_conversation_id = ${seen.conversation.local_conversation_id}`
      yield* sql`PRAGMA foreign_keys = ON`

      yield* dispatchOnce()
      expect(yield* getJob("job_orphan")).toMatchObject({
        status: "failed",
        attempt_count: 1,
        last_error: "missing_local_conversation",
        finished_at: T0,
        last_attempt_at: T0,
        next_attempt_at: null
      })
      expect((yield* logged("job_failed")).map((e) => e.result)).toEqual(["missing_local_conversation"])
    }).pipe(Effect.provide(programsEnv())))

  for (
    const [setup, reason] of [
      ["conversation manual", "automation_manual"],
      ["conversation paused", "automation_paused"],
      ["system paused", "system_paused"],
      ["system draining", "system_paused"]
    ] as const
  ) {
    it.scoped(`${setup}: deferred by recheck_delay_ms, attempt not counted`, () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T0)
        const status = setup === "conversation manual" ? "manual" : setup === "conversation paused" ? "paused" : "auto"
        yield* conversationWithJob("deferred", T0, { status })
        if (setup === "system paused") yield* (yield* store).setSystemAutomation("paused")
        if (setup === "system draining") yield* (yield* store).setSystemAutomation("draining")

        const tick = yield* dispatchOnce()
        expect(tick.details).toMatchObject({ due_jobs: 1, skipped_jobs: 1 })
        expect(yield* getJob("job_deferred")).toMatchObject({
          status: "pending",
          attempt_count: 0,
          next_attempt_at: T0 + 12_000,
          last_error: null
        })
        expect((yield* logged("job_deferred")).map((e) => e.result)).toEqual([reason])
        expect(yield* (yield* script).requests).toEqual([])
      }).pipe(Effect.provide(programsEnv({ recheckDelayMs: 12_000 }))))
  }

  it.scoped("no active link: retryable missing_active_link with backoff", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("nolink", T0, { tab_id: 5 })
      yield* (yield* store).deactivateTabLinks(ClientId.make("firefox-chatgpt"), 5)
      yield* dispatchOnce()
      expect(yield* getJob("job_nolink")).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "missing_active_link",
        next_attempt_at: T0 + 30_000,
        last_attempt_at: T0
      })
      expect((yield* logged("job_retry_scheduled")).map((e) => e.result)).toEqual(["missing_active_link"])
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("active link without an available route: retryable route_unavailable", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("shell", T0, { shell_page: true })
      yield* dispatchOnce()
      expect(yield* getJob("job_shell")).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "route_unavailable",
        next_attempt_at: T0 + 30_000
      })
    }).pipe(Effect.provide(programsEnv())))

  for (
    const [name, payload_kind, payload, code] of [
      ["unparseable", "json", "{not json", "invalid_payload"],
      ["array", "json", "[1,2]", "invalid_payload"],
      ["nulljson", "json", "null", "invalid_payload"],
      ["notext", "json", JSON.stringify({ kind: "renewal.message", version: 1 }), "invalid_payload"],
      ["emptyjson", "json", JSON.stringify({ text: "  " }), "missing_payload_text"],
      ["emptytext", "text", " \n ", "missing_payload_text"]
    ] as const
  ) {
    it.scoped(`payload ${name}: terminal ${code}, failed with attempts left`, () =>
      Effect.gen(function*() {
        yield* TestClock.setTime(T0)
        yield* conversationWithJob(name, T0, { payload_kind, payload })
        yield* dispatchOnce()
        expect(yield* getJob(`job_${name}`)).toMatchObject({
          status: "failed",
          attempt_count: 1,
          max_attempts: 3,
          last_error: code,
          next_attempt_at: null
        })
        expect((yield* logged("job_failed")).map((e) => e.result)).toEqual([code])
      }).pipe(Effect.provide(programsEnv())))
  }

  it.scoped("a client rejection with a terminal reason fails the job at once", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("refused", T0)
      yield* (yield* script).respond(
        BrowserBridgeTest.rejected(new DeliveryRejected({ request_id: "req_1", reason: "missing_payload_text" }))
      )
      yield* dispatchOnce()
      expect(yield* getJob("job_refused")).toMatchObject({
        status: "failed",
        attempt_count: 1,
        last_error: "missing_payload_text"
      })
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("a client's own reason is retryable and becomes last_error", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("busy", T0)
      yield* (yield* script).respond(
        BrowserBridgeTest.rejected(new DeliveryRejected({ request_id: "req_1", reason: "composer_busy" }))
      )
      yield* dispatchOnce()
      expect(yield* getJob("job_busy")).toMatchObject({
        status: "pending",
        attempt_count: 1,
        last_error: "composer_busy",
        next_attempt_at: T0 + 30_000
      })
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("retries back off exponentially, reuse the plan id, and succeed", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("flaky", T0, { max_attempts: 4 })
      const bridge = yield* script
      const timeout = BrowserBridgeTest.rejected(new DeliveryTimeout({ request_id: "req_x" }))
      yield* bridge.respond(timeout, timeout, BrowserBridgeTest.accepted())

      yield* dispatchOnce(1)
      expect(yield* getJob("job_flaky")).toMatchObject({ next_attempt_at: T0 + 30_000, last_error: "delivery_timeout" })
      yield* TestClock.adjust("29999 millis")
      expect((yield* dispatchOnce(2)).result).toBe("idle")
      yield* TestClock.adjust("1 millis")
      yield* dispatchOnce(3)
      expect(yield* getJob("job_flaky")).toMatchObject({ attempt_count: 2, next_attempt_at: T0 + 30_000 + 60_000 })
      yield* TestClock.adjust("60000 millis")
      yield* dispatchOnce(4)
      expect(yield* getJob("job_flaky")).toMatchObject({ status: "done", attempt_count: 3, last_error: null })
      const plans = (yield* bridge.requests).map((r) => r.plan_id)
      expect(plans).toEqual(["plan_job_flaky", "plan_job_flaky", "plan_job_flaky"])
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("the target is re-resolved from the conversation's current active link", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("moved", T0)
      const bridge = yield* script
      yield* bridge.respond(BrowserBridgeTest.accepted())
      // The same conversation seen later from another browser profile, in another tab.
      yield* observe({
        conversation: "conv_moved",
        message_id: "msg_moved_2",
        observed_at: T0 - 1000,
        client_id: "firefox-work",
        tab_id: 42
      })
      yield* dispatchOnce()
      expect((yield* bridge.requests)[0]).toMatchObject({ client_id: "firefox-work", tab_id: 42 })
      expect((yield* getJob("job_moved")).target_snapshot).toMatchObject({
        client_id: "firefox-work",
        target: { kind: "browser.proxy_delivery", id: "tab:42" }
      })
    }).pipe(Effect.provide(programsEnv())))
})
