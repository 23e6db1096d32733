import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber, Layer, Option, TestClock } from "effect"
import { ClientId, MessageId, RemoteConversationId } from "../../src/domain/index.js"
import * as WakeupsLive from "../../src/layers/WakeupsLive.js"
import * as Projector from "../../src/programs/projector/Projector.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import type { TickContext } from "../../src/services/TimedJobs.js"
import { DISPATCHER, Wakeups } from "../../src/services/Wakeups.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import * as RenewalLogTest from "../support/RenewalLogTest.js"
import { makeTempDbFile, storeLayerAt } from "../support/tempStore.js"
import { logged, programsEnv, tickContext } from "./dispatcherEnv.js"
import { configLayer, T0 } from "./fixtures.js"
import { insertJob, observe } from "./seed.js"

const projectOnce = (overrides: Partial<TickContext> = {}) =>
  Projector.make.pipe(Effect.flatMap((projector) => projector.tick({ ...tickContext(), ...overrides })))

const jobsOf = ArtifactStore.pipe(Effect.flatMap((s) => s.listJobs({ limit: 100, offset: 0 })))

const skipped = logged("message_skipped").pipe(
  Effect.map((lines) => lines.map((l) => [l.details?.["message_id"], l.result]))
)

describe("projector decision table", () => {
  it.effect("skips each ineligible message with its reason, in order, and makes one job for the rest", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const store = yield* ArtifactStore
      const at = T0 - 60_000
      yield* observe({ conversation: "c_user", message_id: "m_user", role: "user", observed_at: at })
      yield* store.insertMessage({
        id: MessageId.make("m_orphan"),
        platform: "chatgpt",
        conversation_id: RemoteConversationId.make("c_orphan"),
        role: "assistant",
        raw_text: "nobody's",
        observed_at: at
      })
      yield* observe({ conversation: "c_manual", message_id: "m_manual", status: "manual", observed_at: at })
      yield* observe({ conversation: "c_paused", message_id: "m_paused", status: "paused", observed_at: at })
      yield* observe({ conversation: "c_shell", message_id: "m_shell", shell_page: true, observed_at: at })
      yield* observe({ conversation: "c_closed", message_id: "m_closed", tab_id: 9, observed_at: at })
      yield* store.deactivateTabLinks(ClientId.make("firefox-chatgpt"), 9)
      const dup = yield* observe({ conversation: "c_dup", message_id: "m_dup", observed_at: at })
      yield* insertJob({
        job_id: "job_by_hand",
        local_conversation_id: dup.conversation.local_conversation_id,
        message_id: "m_dup",
        payload: "by hand",
        next_attempt_at: T0 + 999_999
      })
      yield* observe({ conversation: "c_ok", message_id: "m_ok", observed_at: at, text: "  all\n\tgood  " })

      const tick = yield* projectOnce()
      expect(tick).toEqual({
        result: "ok",
        details: { cursor_before: 0, cursor_after: 8, scanned_messages: 8, created_jobs: 1, skipped_messages: 7 }
      })
      expect(yield* skipped).toEqual([
        ["m_user", "non_assistant_message"],
        ["m_orphan", "missing_local_conversation"],
        ["m_manual", "automation_manual"],
        ["m_paused", "automation_paused"],
        ["m_shell", "route_unavailable"],
        ["m_closed", "route_unavailable"],
        ["m_dup", "job_exists"]
      ])
      expect(yield* store.projectorCursor).toBe(8)
      const created = (yield* jobsOf).filter((j) => j.message_id === "m_ok")
      expect(created).toHaveLength(1)
      expect((yield* logged("job_created"))[0]?.details).toMatchObject({
        message_id: "m_ok",
        job_id: created[0]?.job_id
      })
    }).pipe(Effect.provide(programsEnv())))

  it.effect("a created job is pending, due now, with the template's payload and the link's snapshot", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const seen = yield* observe({
        conversation: "c1",
        message_id: "m1",
        observed_at: T0 - 5,
        text: "Hello\n\n  world"
      })
      yield* projectOnce()
      const [job] = yield* jobsOf
      expect(job).toMatchObject({
        local_conversation_id: seen.conversation.local_conversation_id,
        message_id: "m1",
        status: "pending",
        payload_kind: "json",
        attempt_count: 0,
        max_attempts: 5,
        next_attempt_at: T0
      })
      expect(JSON.parse(job!.payload)).toEqual({
        kind: "renewal.message",
        version: 1,
        template: "summary_with_link",
        text: "[renewal] Hello world\nhttps://chatgpt.com/c/c1",
        source_message: { id: "m1", platform: "chatgpt", conversation_id: "c1", observed_at: T0 - 5 }
      })
      expect(job!.target_snapshot).toEqual({
        link_id: seen.link.link_id,
        platform: "chatgpt",
        client_id: "firefox-chatgpt",
        page_url: "https://chatgpt.com/c/c1",
        page_title: "Title c1",
        route: { path: "/c/c1", pattern: "/c/:conversationId", params: { conversationId: "c1" } },
        target: {
          kind: "browser.proxy_delivery",
          id: "tab:17",
          payload: {
            client_id: "firefox-chatgpt",
            conversation_id: "c1",
            page_url: "https://chatgpt.com/c/c1",
            tab_id: 17
          }
        }
      })
    }).pipe(Effect.provide(programsEnv({ maxAttempts: 5 }))))

  it.effect("wakes the dispatcher when it created due jobs, and only then", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const wakeups = yield* Wakeups
      const waiting = yield* Effect.fork(wakeups.take(DISPATCHER))
      yield* projectOnce()
      yield* Effect.yieldNow()
      expect(Option.isNone(yield* Fiber.poll(waiting))).toBe(true)
      yield* observe({ conversation: "c1", message_id: "m1", observed_at: T0 })
      yield* projectOnce()
      yield* Fiber.join(waiting)
    }).pipe(Effect.provide(programsEnv())))
})

describe("projector cursor", () => {
  it.effect("stops at the first unsettled message and takes it up once settled", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* observe({ conversation: "c1", message_id: "m1", observed_at: T0 - 1000 })
      yield* observe({ conversation: "c1", message_id: "m2", observed_at: T0 - 400 })
      yield* observe({ conversation: "c1", message_id: "m3", observed_at: T0 - 2000 })
      const first = yield* projectOnce({ settle_delay_ms: 500 })
      expect(first.details).toMatchObject({ scanned_messages: 1, cursor_after: 1 })
      yield* TestClock.adjust("99 millis")
      expect((yield* projectOnce({ settle_delay_ms: 500 })).result).toBe("idle")
      yield* TestClock.adjust("1 millis")
      expect((yield* projectOnce({ settle_delay_ms: 500 })).details).toMatchObject({
        scanned_messages: 2,
        cursor_after: 3
      })
      expect((yield* jobsOf).map((j) => j.message_id).sort()).toEqual(["m1", "m2", "m3"])
    }).pipe(Effect.provide(programsEnv())))

  it.effect("reads at most max_messages_per_tick messages a tick", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      for (const n of [1, 2, 3]) yield* observe({ conversation: "c1", message_id: `m${n}`, observed_at: T0 })
      expect((yield* projectOnce({ max_messages_per_tick: 2 })).details).toMatchObject({ scanned_messages: 2 })
      expect((yield* projectOnce({ max_messages_per_tick: 2 })).details).toMatchObject({ scanned_messages: 1 })
      expect((yield* projectOnce({ max_messages_per_tick: 2 })).result).toBe("idle")
      expect(yield* jobsOf).toHaveLength(3)
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("survives a restart on the same database file without projecting again", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const filename = yield* makeTempDbFile
      const onFile = Layer.mergeAll(
        storeLayerAt(filename),
        BrowserBridgeTest.layer,
        RenewalLogTest.layer,
        WakeupsLive.layer,
        configLayer()
      )
      yield* Effect.gen(function*() {
        yield* observe({ conversation: "c1", message_id: "m1", observed_at: T0 })
        expect((yield* projectOnce()).details).toMatchObject({ created_jobs: 1, cursor_after: 1 })
      }).pipe(Effect.provide(onFile))

      const again = yield* Effect.gen(function*() {
        const tick = yield* projectOnce()
        return { tick, jobs: yield* jobsOf, cursor: yield* (yield* ArtifactStore).projectorCursor }
      }).pipe(Effect.provide(onFile))
      expect(again.tick.result).toBe("idle")
      expect(again.cursor).toBe(1)
      expect(again.jobs).toHaveLength(1)
    }))
})
