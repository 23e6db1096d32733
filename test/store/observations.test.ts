import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import { ClientId, linkIdFor, RemoteConversationId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { message, observation } from "./fixtures.js"

describe.each(storeBackends)("recordObservation on $name", ({ layer: tempStoreLayer }) => {
  it.layer(tempStoreLayer)((it) => {
    it.effect("stores the message, creates the conversation with the default status and an active link", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        yield* TestClock.setTime(2_000)
        const m = message("obs-1", { conversation_id: RemoteConversationId.make("obs-conv"), observed_at: 1_500 })
        const result = yield* store.recordObservation(observation(m, { status: "paused" }))
        expect(result.duplicate).toBe(false)
        expect(result.message).toMatchObject({ id: "obs-1", raw_text: m.raw_text })
        expect(result.conversation).toMatchObject({
          platform: "chatgpt",
          remote_conversation_id: "obs-conv",
          automation_status: "paused",
          paused_at: 2_000,
          last_message_id: "obs-1",
          last_message_at: 1_500
        })
        expect(result.link).toMatchObject({
          link_id: linkIdFor("chatgpt", "obs-conv", "client-1"),
          local_conversation_id: result.conversation.local_conversation_id,
          remote_conversation_id: "obs-conv",
          is_active: true,
          observed_at: 1_500
        })
      }))

    it.effect("a second message updates the last message; a repeated one refreshes nothing", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const conv = RemoteConversationId.make("obs-repeat")
        const first = yield* store.recordObservation(
          observation(message("rep-1", { conversation_id: conv, observed_at: 10 }))
        )
        yield* TestClock.setTime(50)
        const second = yield* store.recordObservation(
          observation(message("rep-2", { conversation_id: conv, observed_at: 20 }), { tab: 8 })
        )
        expect(second.conversation.local_conversation_id).toBe(first.conversation.local_conversation_id)
        expect(second.conversation).toMatchObject({ last_message_id: "rep-2", last_message_at: 20, updated_at: 50 })
        expect(second.link).toMatchObject({ target_id: "tab:8", observed_at: 20 })

        yield* TestClock.setTime(90)
        const repeat = yield* store.recordObservation(
          observation(message("rep-1", { conversation_id: conv, observed_at: 99 }), { tab: 9 })
        )
        expect(repeat.duplicate).toBe(true)
        expect(repeat.message).toEqual(first.message)
        expect(repeat.conversation).toEqual(second.conversation)
        expect(repeat.link).toEqual(second.link)
      }))

    it.effect("a repeat from another client returns the active link and records no new one", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const m = message("other-client-1", { conversation_id: RemoteConversationId.make("obs-other") })
        const first = yield* store.recordObservation(observation(m))
        const repeat = yield* store.recordObservation(observation(m, { client: "client-2" }))
        expect(repeat.duplicate).toBe(true)
        expect(repeat.link).toEqual(first.link)
        const links = yield* store.listLinks({
          local_conversation_id: first.conversation.local_conversation_id,
          limit: 5,
          offset: 0
        })
        expect(links).toEqual([first.link])
      }))

    it.effect("is atomic: a refused link leaves no message and no conversation behind", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const conv = RemoteConversationId.make("obs-atomic")
        const bad = observation(message("atomic-1", { conversation_id: conv }))
        const error = yield* store
          .recordObservation({ ...bad, link: { ...bad.link, observed_at: -5 } })
          .pipe(Effect.flip)
        expect(error._tag).toBe("InvalidStoreInput")
        expect((yield* store.findConversation({ platform: "chatgpt", remote_conversation_id: conv }))._tag).toBe("None")
        expect(
          yield* store.listLinks({
            client_id: ClientId.make("client-1"),
            remote_conversation_id: conv,
            limit: 5,
            offset: 0
          })
        )
          .toEqual([])
        // The message was rolled back too: reporting it again is not a duplicate.
        const retried = yield* store.recordObservation(bad)
        expect(retried.duplicate).toBe(false)
      }))
  })
})
