import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { LocalConversationId, RemoteConversationId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation } from "./fixtures.js"

const ids = (list: ReadonlyArray<{ readonly local_conversation_id: string }>) =>
  list.map((c) => c.local_conversation_id)

describe.each(storeBackends)("conversations on $name", ({ layer: tempStoreLayer }) => {
  it.layer(tempStoreLayer)((it) => {
    it.effect("one local conversation per platform and remote id, with an lc_ id", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const key = { platform: "claude", remote_conversation_id: RemoteConversationId.make("r-1") }
        const first = yield* store.findOrCreateConversation({ ...key, automation_status: "manual" })
        const second = yield* store.findOrCreateConversation({ ...key, automation_status: "auto" })
        expect(first.created).toBe(true)
        expect(first.conversation.local_conversation_id).toMatch(/^lc_[0-9A-Z]{26}$/)
        expect(second).toEqual({ conversation: first.conversation, created: false })
        expect(yield* store.findConversation(key)).toEqual(expect.objectContaining({ value: first.conversation }))
        const other = yield* store.findOrCreateConversation({ ...key, platform: "gemini", automation_status: "auto" })
        expect(other.created).toBe(true)
      }))

    it.effect("keeps a given id, and refuses one already used by another conversation", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const id = LocalConversationId.make("lc_given")
        const made = yield* store.findOrCreateConversation({
          platform: "chatgpt",
          remote_conversation_id: RemoteConversationId.make("given-1"),
          automation_status: "auto",
          local_conversation_id: id
        })
        expect(made.conversation.local_conversation_id).toBe(id)
        const clash = yield* store.findOrCreateConversation({
          platform: "chatgpt",
          remote_conversation_id: RemoteConversationId.make("given-2"),
          automation_status: "auto",
          local_conversation_id: id
        }).pipe(Effect.flip)
        expect(clash._tag).toBe("InvalidStoreInput")
      }))

    it.effect("paused_at is set on pause, cleared on leaving it; same status is a no-op", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("pause-1", "auto")
        yield* TestClock.setTime(5_000)
        const paused = yield* store.setAutomationStatus(c.local_conversation_id, "paused")
        expect(paused).toMatchObject({ automation_status: "paused", paused_at: 5_000, updated_at: 5_000 })

        yield* TestClock.setTime(6_000)
        const again = yield* store.setAutomationStatus(c.local_conversation_id, "paused")
        expect(again).toEqual(paused)

        yield* TestClock.setTime(7_000)
        const manual = yield* store.setAutomationStatus(c.local_conversation_id, "manual")
        expect(manual).toMatchObject({ automation_status: "manual", paused_at: null, updated_at: 7_000 })
      }))

    it.effect("unknown conversation and unknown status are typed errors", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const missing = yield* store.setAutomationStatus(LocalConversationId.make("lc_nope"), "auto").pipe(Effect.flip)
        expect(missing).toMatchObject({ _tag: "RecordNotFound", resource: "conversation", id: "lc_nope" })
        const c = yield* conversation("status-bad")
        const bad = yield* store.setAutomationStatus(c.local_conversation_id, "sometimes" as never).pipe(Effect.flip)
        expect(bad._tag).toBe("InvalidStoreInput")
      }))
  })

  it.effect("lists newest updated_at first, ties by id desc, with platform and status filters and pages", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const made = []
      for (
        const [i, platform, status] of [
          [1, "chatgpt", "auto"],
          [2, "claude", "manual"],
          [3, "chatgpt", "paused"],
          [4, "gemini", "auto"],
          [4, "chatgpt", "auto"]
        ] as const
      ) {
        yield* TestClock.setTime(i * 1_000)
        made.push(yield* conversation(`list-${made.length}`, status, platform))
      }
      const all = yield* store.listConversations({ limit: 20, offset: 0 })
      const tie = ids([made[3]!, made[4]!]).sort().reverse()
      expect(ids(all)).toEqual([...tie, ...ids([made[2]!, made[1]!, made[0]!])])

      const chatgpt = yield* store.listConversations({ platform: "chatgpt", limit: 20, offset: 0 })
      expect(ids(chatgpt)).toEqual(ids([made[4]!, made[2]!, made[0]!]))
      const auto = yield* store.listConversations({ status: "auto", limit: 20, offset: 0 })
      expect(auto.map((c) => c.automation_status)).toEqual(["auto", "auto", "auto"])
      const both = yield* store.listConversations({ platform: "chatgpt", status: "auto", limit: 20, offset: 0 })
      expect(ids(both)).toEqual(ids([made[4]!, made[0]!]))

      // Switching status bumps updated_at, so the conversation moves to the front.
      yield* TestClock.setTime(10_000)
      yield* store.setAutomationStatus(made[1]!.local_conversation_id, "auto")
      const reordered = yield* store.listConversations({ limit: 1, offset: 0 })
      expect(ids(reordered)).toEqual(ids([made[1]!]))

      expect(yield* store.listConversations({ limit: 2, offset: 0 })).toHaveLength(2)
      expect(ids(yield* store.listConversations({ limit: 2, offset: 4 }))).toEqual(ids(all).slice(4))
      expect(yield* store.listConversations({ limit: 20, offset: 5 })).toEqual([])
      expect(yield* store.listConversations({ platform: "nobody", limit: 20, offset: 0 })).toEqual([])
    }).pipe(Effect.provide(tempStoreLayer)))
})
