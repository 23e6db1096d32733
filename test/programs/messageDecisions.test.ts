import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Layer, Option, Stream, TestClock } from "effect"
import { LocalConversationId, MessageId } from "../../src/domain/index.js"
import * as EventedArtifactStore from "../../src/layers/EventedArtifactStore.js"
import * as EventsLive from "../../src/layers/EventsLive.js"
import * as Projector from "../../src/programs/projector/Projector.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { type ConductorEvent, Events } from "../../src/services/Events.js"
import { programsEnv, tickContext } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { observe } from "./seed.js"

const env = EventedArtifactStore.layer.pipe(
  Layer.provideMerge(programsEnv()),
  Layer.provideMerge(EventsLive.layer)
)

const page = { limit: 20, offset: 0 }

describe("the projector's decisions, kept with each message", () => {
  it.scoped("are written with the projection, listed with filters and totals, and published", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const store = yield* ArtifactStore
      const pull = yield* Stream.toPull(yield* (yield* Events).subscribe)
      const at = T0 - 60_000
      const manual = yield* observe({
        conversation: "c_manual",
        message_id: "m_manual",
        status: "manual",
        observed_at: at
      })
      yield* observe({ conversation: "c_user", message_id: "m_user", role: "user", observed_at: at })
      const auto = yield* observe({ conversation: "c_ok", message_id: "m_ok", observed_at: at })
      yield* observe({
        conversation: "c_claude",
        message_id: "m_claude",
        platform: "claude",
        status: "manual",
        observed_at: at
      })

      const undecided = yield* store.listMessages({ decision: "undecided", ...page })
      expect(undecided.map((m) => m.message_id)).toEqual(["m_claude", "m_ok", "m_user", "m_manual"])
      yield* Projector.make.pipe(Effect.flatMap((projector) => projector.tick(tickContext())))

      const [job] = yield* store.listJobs({ ...page })
      const ok = Option.getOrThrow(yield* store.getMessage(MessageId.make("m_ok")))
      expect(ok).toMatchObject({
        message_id: "m_ok",
        local_conversation_id: auto.conversation.local_conversation_id,
        decision: "job_created",
        skip_reason: null,
        job_id: job!.job_id,
        decided_at: T0
      })
      const skipped = yield* store.listMessages({ decision: "skipped", ...page })
      expect(skipped.map((m) => [m.message_id, m.skip_reason])).toEqual([
        ["m_claude", "automation_manual"],
        ["m_user", "non_assistant_message"],
        ["m_manual", "automation_manual"]
      ])
      expect(yield* store.countMessages({ decision: "skipped", ...page, limit: 1 })).toBe(3)
      expect(yield* store.countMessages({ decision: "undecided", ...page })).toBe(0)
      expect((yield* store.listMessages({ platform: "claude", ...page })).map((m) => m.message_id)).toEqual([
        "m_claude"
      ])
      expect(yield* store.countMessages({ platform: "chatgpt", decision: "skipped", ...page })).toBe(2)
      const one = { local_conversation_id: manual.conversation.local_conversation_id, ...page }
      expect((yield* store.listMessages(one)).map((m) => m.message_id)).toEqual(["m_manual"])
      expect(yield* store.countMessages({ local_conversation_id: LocalConversationId.make("lc_none"), ...page })).toBe(
        0
      )
      expect(Option.isNone(yield* store.getMessage(MessageId.make("m_none")))).toBe(true)

      const seen: Array<ConductorEvent> = []
      while (seen.filter((e) => e.type === "message.decided").length < 4) {
        seen.push(...Chunk.toReadonlyArray(yield* pull))
      }
      const decided = seen.flatMap((
        e
      ) => (e.type === "message.decided" ? [[e.message_id, e.decision, e.skip_reason, e.job_id]] : []))
      expect(decided).toEqual([
        ["m_manual", "skipped", "automation_manual", null],
        ["m_user", "skipped", "non_assistant_message", null],
        ["m_ok", "job_created", null, job!.job_id],
        ["m_claude", "skipped", "automation_manual", null]
      ])
      const stored = seen.filter((e) => e.type === "message.stored")
      expect(stored.map((e) => (e.type === "message.stored" ? e.message.decision : null))).toEqual(
        Array(4).fill("undecided")
      )
    }).pipe(Effect.provide(env)))
})
