import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { get } from "./client.js"
import * as Harness from "./harness.js"
import * as Seed from "./seed.js"

layer(Harness.layer, { excludeTestServices: true })("renewal reads", (it) => {
  it.effect("a conversation reads with its active link and its ten newest jobs", () =>
    Effect.gen(function* () {
      const { conversation, link } = yield* Seed.conversation({ status: "auto" })
      const id = conversation.local_conversation_id
      const jobs = []
      for (let i = 0; i < 12; i++) jobs.push(yield* Seed.job(id))
      const reply = yield* get(`/v1/renewal/conversations/${id}`)
      expect(reply.status).toBe(200)
      const data = reply.body.data
      expect(data).toMatchObject({ local_conversation_id: id, platform: "chatgpt", automation_status: "auto", paused_at: null })
      expect(data.active_link).toMatchObject({ link_id: link.link_id, is_active: true, target_id: "tab:7", route_params: { conversationId: conversation.remote_conversation_id } })
      expect(data.recent_jobs).toHaveLength(10)
      const newestFirst = [...jobs].reverse().slice(0, 10).map((j) => j.job_id)
      expect(data.recent_jobs.map((j: { job_id: string }) => j.job_id)).toEqual(newestFirst)
    }))

  it.effect("a conversation without jobs has empty recent_jobs", () =>
    Effect.gen(function* () {
      const { conversation } = yield* Seed.conversation()
      const data = (yield* get(`/v1/renewal/conversations/${conversation.local_conversation_id}`)).body.data
      expect(data.recent_jobs).toEqual([])
      expect(data.automation_status).toBe("manual")
    }))

  it.effect("404 for an unknown conversation or job names the resource", () =>
    Effect.gen(function* () {
      const conversation = yield* get("/v1/renewal/conversations/lc_missing")
      expect(conversation.status).toBe(404)
      expect(conversation.body).toMatchObject({ ok: false, error: "not_found", details: { resource: "conversation", resource_id: "lc_missing" } })
      const job = yield* get("/v1/renewal/jobs/job_missing")
      expect(job.status).toBe(404)
      expect(job.body.details).toEqual({ resource: "renewal_job", resource_id: "job_missing" })
    }))

  it.effect("lists filter, page and count", () =>
    Effect.gen(function* () {
      const { conversation } = yield* Seed.conversation({ platform: "gemini", status: "paused" })
      const id = conversation.local_conversation_id
      const done = yield* Seed.job(id, { status: "done" })
      yield* Seed.job(id)
      const byStatus = yield* get(`/v1/renewal/jobs?local_conversation_id=${id}&status=done`)
      expect(byStatus.body.data).toMatchObject({ count: 1, filters: { local_conversation_id: id, status: "done", limit: 20, offset: 0 } })
      expect(byStatus.body.data.jobs[0].job_id).toBe(done.job_id)
      const paged = yield* get(`/v1/renewal/jobs?local_conversation_id=${id}&limit=1&offset=1`)
      expect(paged.body.data.count).toBe(1)
      expect(paged.body.data.jobs[0].job_id).toBe(done.job_id)
      const conversations = yield* get("/v1/renewal/conversations?platform=gemini&status=paused")
      expect(conversations.body.data.conversations.map((c: { local_conversation_id: string }) => c.local_conversation_id)).toContain(id)
      expect(conversations.body.data.count).toBe(conversations.body.data.conversations.length)
      const links = yield* get(`/v1/renewal/links?local_conversation_id=${id}&is_active=true`)
      expect(links.body.data.count).toBe(1)
      expect(links.body.data.links[0]).toMatchObject({ local_conversation_id: id, is_active: true, platform: "gemini" })
      const inactive = yield* get(`/v1/renewal/links?local_conversation_id=${id}&is_active=false`)
      expect(inactive.body.data).toMatchObject({ count: 0, links: [] })
    }))

  it.effect("a json job shows its parsed payload and payload_text; a text job its string", () =>
    Effect.gen(function* () {
      const { conversation } = yield* Seed.conversation()
      const json = yield* Seed.job(conversation.local_conversation_id)
      const text = yield* Seed.job(conversation.local_conversation_id, { payload_kind: "text", payload: "plain words" })
      const broken = yield* Seed.job(conversation.local_conversation_id, { payload: "{not json" })
      const a = (yield* get(`/v1/renewal/jobs/${json.job_id}`)).body.data
      expect(a.payload).toEqual({ kind: "renewal.message", version: 1, text: "[renewal] hello" })
      expect(a.payload_text).toBe("[renewal] hello")
      expect(a).toMatchObject({ status: "pending", attempt_count: 0, max_attempts: 3, last_error: null, finished_at: null, target_snapshot: null })
      const b = (yield* get(`/v1/renewal/jobs/${text.job_id}`)).body.data
      expect(b).toMatchObject({ payload_kind: "text", payload: "plain words", payload_text: "plain words" })
      const c = (yield* get(`/v1/renewal/jobs/${broken.job_id}`)).body.data
      expect(c).toMatchObject({ payload: "{not json", payload_text: null })
    }))
})
