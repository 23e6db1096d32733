import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { get } from "./client.js"
import * as Harness from "./harness.js"
import * as Seed from "./seed.js"

layer(Harness.layer, { excludeTestServices: true })("messages and list totals", (it) => {
  it.effect("messages list with their decision, filtered, newest first, with a total", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const a = yield* Seed.conversation({ platform: "gemini" })
      const b = yield* Seed.conversation({ platform: "gemini" })
      const cursor = Math.max(a.message.seq, b.message.seq)
      yield* store.commitProjection(cursor, [], [{
        message_id: a.message.id,
        local_conversation_id: a.conversation.local_conversation_id,
        decision: "skipped",
        skip_reason: "automation_manual",
        job_id: null,
        decided_at: 1234
      }])

      const all = yield* get("/v1/renewal/messages?platform=gemini&limit=1")
      expect(all.status).toBe(200)
      expect(all.body.data).toMatchObject({ count: 1, total: 2, filters: { platform: "gemini", limit: 1, offset: 0 } })
      expect(all.body.data.messages[0].message_id).toBe(b.message.id)

      const skipped = (yield* get(
        `/v1/renewal/messages?local_conversation_id=${a.conversation.local_conversation_id}&decision=skipped`
      )).body.data
      expect(skipped).toMatchObject({ count: 1, total: 1 })
      expect(skipped.messages[0]).toEqual({
        message_id: a.message.id,
        platform: "gemini",
        conversation_id: a.message.conversation_id,
        local_conversation_id: a.conversation.local_conversation_id,
        role: "assistant",
        raw_text: "a final reply",
        observed_at: a.message.observed_at,
        seq: a.message.seq,
        decision: "skipped",
        skip_reason: "automation_manual",
        job_id: null,
        decided_at: 1234
      })

      const one = yield* get(`/v1/renewal/messages/${b.message.id}`)
      expect(one.body.data).toMatchObject({
        message_id: b.message.id,
        decision: "undecided",
        skip_reason: null,
        decided_at: null
      })
      const missing = yield* get("/v1/renewal/messages/msg_missing")
      expect(missing.status).toBe(404)
      expect(missing.body.details).toEqual({ resource: "message", resource_id: "msg_missing" })
      const refused = yield* get("/v1/renewal/messages?decision=maybe")
      expect(refused.status).toBe(400)
      expect(refused.body.details).toEqual({ field: "decision" })
      expect((yield* get("/v1/renewal/messages", { token: null })).status).toBe(401)
    }))

  it.effect("every list answers the total its filters match, whatever the page", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation({ platform: "claude", status: "paused" })
      const id = conversation.local_conversation_id
      for (let i = 0; i < 3; i++) yield* Seed.job(id)
      const jobs = (yield* get(`/v1/renewal/jobs?local_conversation_id=${id}&limit=2`)).body.data
      expect([jobs.count, jobs.total]).toEqual([2, 3])
      const links = (yield* get(`/v1/renewal/links?local_conversation_id=${id}&offset=1`)).body.data
      expect([links.count, links.total]).toEqual([0, 1])
      const conversations = (yield* get("/v1/renewal/conversations?platform=claude&status=paused&limit=1")).body.data
      expect(conversations.count).toBe(1)
      expect(conversations.total).toBeGreaterThanOrEqual(1)
    }))
})
