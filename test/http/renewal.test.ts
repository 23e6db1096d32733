import { describe, expect, layer } from "@effect/vitest"
import { Clock, Effect, Fiber, Option } from "effect"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { DISPATCHER, Wakeups } from "../../src/services/Wakeups.js"
import { get, post } from "./client.js"
import * as Harness from "./harness.js"
import * as Seed from "./seed.js"

/** True when the dispatcher has a wake-up waiting (and takes it). */
const dispatcherWoken = Effect.gen(function*() {
  const fiber = yield* Effect.fork((yield* Wakeups).take(DISPATCHER))
  // A kept wake-up completes the take within a few scheduler turns; none keeps it waiting.
  yield* Effect.repeatN(Effect.yieldNow(), 10)
  const woken = Option.isSome(yield* Fiber.poll(fiber))
  yield* Fiber.interrupt(fiber)
  return woken
})

layer(Harness.layer, { excludeTestServices: true })("renewal reads and control", (it) => {
  it.effect("a conversation reads with its active link and its ten newest jobs", () =>
    Effect.gen(function*() {
      const { conversation, link } = yield* Seed.conversation({ status: "auto" })
      const id = conversation.local_conversation_id
      const jobs = []
      for (let i = 0; i < 12; i++) jobs.push(yield* Seed.job(id))
      const reply = yield* get(`/v1/renewal/conversations/${id}`)
      expect(reply.status).toBe(200)
      const data = reply.body.data
      expect(data).toMatchObject({
        local_conversation_id: id,
        platform: "chatgpt",
        automation_status: "auto",
        paused_at: null
      })
      expect(data.active_link).toMatchObject({
        link_id: link.link_id,
        is_active: true,
        target_id: "tab:7",
        route_params: { conversationId: conversation.remote_conversation_id }
      })
      expect(data.recent_jobs).toHaveLength(10)
      const newestFirst = [...jobs].reverse().slice(0, 10).map((j) => j.job_id)
      expect(data.recent_jobs.map((j: { job_id: string }) => j.job_id)).toEqual(newestFirst)
    }))

  it.effect("a conversation without jobs has empty recent_jobs", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation()
      const data = (yield* get(`/v1/renewal/conversations/${conversation.local_conversation_id}`)).body.data
      expect(data.recent_jobs).toEqual([])
      expect(data.automation_status).toBe("manual")
    }))

  it.effect("404 for an unknown conversation or job names the resource", () =>
    Effect.gen(function*() {
      const conversation = yield* get("/v1/renewal/conversations/lc_missing")
      expect(conversation.status).toBe(404)
      expect(conversation.body).toMatchObject({
        ok: false,
        error: "not_found",
        details: { resource: "conversation", resource_id: "lc_missing" }
      })
      const job = yield* get("/v1/renewal/jobs/job_missing")
      expect(job.status).toBe(404)
      expect(job.body.details).toEqual({ resource: "renewal_job", resource_id: "job_missing" })
    }))

  it.effect("lists filter, page and count", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation({ platform: "gemini", status: "paused" })
      const id = conversation.local_conversation_id
      const done = yield* Seed.job(id, { status: "done" })
      yield* Seed.job(id)
      const byStatus = yield* get(`/v1/renewal/jobs?local_conversation_id=${id}&status=done`)
      expect(byStatus.body.data).toMatchObject({
        count: 1,
        filters: { local_conversation_id: id, status: "done", limit: 20, offset: 0 }
      })
      expect(byStatus.body.data.jobs[0].job_id).toBe(done.job_id)
      const paged = yield* get(`/v1/renewal/jobs?local_conversation_id=${id}&limit=1&offset=1`)
      expect(paged.body.data.count).toBe(1)
      expect(paged.body.data.jobs[0].job_id).toBe(done.job_id)
      const conversations = yield* get("/v1/renewal/conversations?platform=gemini&status=paused")
      expect(
        conversations.body.data.conversations.map((c: { local_conversation_id: string }) => c.local_conversation_id)
      ).toContain(id)
      expect(conversations.body.data.count).toBe(conversations.body.data.conversations.length)
      const links = yield* get(`/v1/renewal/links?local_conversation_id=${id}&is_active=true`)
      expect(links.body.data.count).toBe(1)
      expect(links.body.data.links[0]).toMatchObject({ local_conversation_id: id, is_active: true, platform: "gemini" })
      const inactive = yield* get(`/v1/renewal/links?local_conversation_id=${id}&is_active=false`)
      expect(inactive.body.data).toMatchObject({ count: 0, links: [] })
    }))

  it.effect("a json job shows its parsed payload and payload_text; a text job its string", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation()
      const json = yield* Seed.job(conversation.local_conversation_id)
      const text = yield* Seed.job(conversation.local_conversation_id, { payload_kind: "text", payload: "plain words" })
      const broken = yield* Seed.job(conversation.local_conversation_id, { payload: "{not json" })
      const a = (yield* get(`/v1/renewal/jobs/${json.job_id}`)).body.data
      expect(a.payload).toEqual({ kind: "renewal.message", version: 1, text: "[renewal] hello" })
      expect(a.payload_text).toBe("[renewal] hello")
      expect(a).toMatchObject({
        status: "pending",
        attempt_count: 0,
        max_attempts: 3,
        last_error: null,
        finished_at: null,
        target_snapshot: null
      })
      const b = (yield* get(`/v1/renewal/jobs/${text.job_id}`)).body.data
      expect(b).toMatchObject({ payload_kind: "text", payload: "plain words", payload_text: "plain words" })
      const c = (yield* get(`/v1/renewal/jobs/${broken.job_id}`)).body.data
      expect(c).toMatchObject({ payload: "{not json", payload_text: null })
    }))

  describe("control", () => {
    it.effect("switches a conversation's status, with paused_at set and cleared; the same status is a no-op", () =>
      Effect.gen(function*() {
        const { conversation } = yield* Seed.conversation()
        const base = `/v1/renewal/conversations/${conversation.local_conversation_id}`
        const paused = yield* post(`${base}/paused`)
        expect(paused.status).toBe(200)
        expect(paused.body.data).toMatchObject({ automation_status: "paused", paused_at: expect.any(Number) })
        expect(paused.body.data.active_link).not.toBeNull()
        const again = yield* post(`${base}/paused`)
        expect(again.status).toBe(200)
        expect(again.body.data.paused_at).toBe(paused.body.data.paused_at)
        const manual = yield* post(`${base}/manual`)
        expect(manual.body.data).toMatchObject({ automation_status: "manual", paused_at: null })
        expect((yield* get(base)).body.data.automation_status).toBe("manual")
        expect((yield* post("/v1/renewal/conversations/lc_missing/auto")).body.details).toEqual({
          resource: "conversation",
          resource_id: "lc_missing"
        })
        expect((yield* post(`${base}/sideways`)).status).toBe(404)
      }))

    it.effect("auto makes the conversation's waiting jobs due now and wakes the dispatcher", () =>
      Effect.gen(function*() {
        const { conversation } = yield* Seed.conversation({ status: "paused" })
        const far = (yield* Clock.currentTimeMillis) + 3_600_000
        const waiting = yield* Seed.job(conversation.local_conversation_id, { next_attempt_at: far })
        yield* dispatcherWoken
        const reply = yield* post(`/v1/renewal/conversations/${conversation.local_conversation_id}/auto`)
        expect(reply.body.data.automation_status).toBe("auto")
        expect(yield* dispatcherWoken).toBe(true)
        const job = yield* (yield* ArtifactStore).getJob(waiting.job_id)
        expect(Option.getOrThrow(job).next_attempt_at).toBeLessThan(far)
      }))

    it.effect("retry sends a failed job back to pending, due now, with one more attempt when spent", () =>
      Effect.gen(function*() {
        const { conversation } = yield* Seed.conversation({ status: "auto" })
        const failed = yield* Seed.job(conversation.local_conversation_id, { status: "failed", attempt_count: 3 })
        yield* dispatcherWoken
        const reply = yield* post(`/v1/renewal/jobs/${failed.job_id}/retry`)
        expect(reply.status).toBe(200)
        expect(reply.body.data).toMatchObject({
          status: "pending",
          attempt_count: 3,
          max_attempts: 4,
          finished_at: null,
          last_error: "no_active_client",
          next_attempt_at: expect.any(Number)
        })
        expect(yield* dispatcherWoken).toBe(true)
        const conflict = yield* post(`/v1/renewal/jobs/${failed.job_id}/retry`)
        expect(conflict.status).toBe(409)
        expect(conflict.body).toMatchObject({
          ok: false,
          error: "conflict",
          details: { resource: "renewal_job", resource_id: failed.job_id, status: "pending" }
        })
        expect((yield* post("/v1/renewal/jobs/job_missing/retry")).status).toBe(404)
      }))

    it.effect("retry keeps max_attempts when attempts remain", () =>
      Effect.gen(function*() {
        const { conversation } = yield* Seed.conversation()
        const failed = yield* Seed.job(conversation.local_conversation_id, { status: "failed", attempt_count: 1 })
        expect((yield* post(`/v1/renewal/jobs/${failed.job_id}/retry`)).body.data).toMatchObject({
          status: "pending",
          max_attempts: 3
        })
      }))

    it.effect("cancel fails a pending job as cancelled; anything else is a 409", () =>
      Effect.gen(function*() {
        const { conversation } = yield* Seed.conversation()
        const pending = yield* Seed.job(conversation.local_conversation_id)
        const reply = yield* post(`/v1/renewal/jobs/${pending.job_id}/cancel`)
        expect(reply.status).toBe(200)
        expect(reply.body.data).toMatchObject({
          status: "failed",
          last_error: "cancelled",
          next_attempt_at: null,
          finished_at: expect.any(Number)
        })
        for (const status of ["failed", "done", "running"] as const) {
          const job = status === "failed" ? pending : yield* Seed.job(conversation.local_conversation_id, { status })
          const refused = yield* post(`/v1/renewal/jobs/${job.job_id}/cancel`)
          expect(refused.status).toBe(409)
          expect(refused.body.details.status).toBe(status)
        }
        const done = yield* Seed.job(conversation.local_conversation_id, { status: "done" })
        expect((yield* post(`/v1/renewal/jobs/${done.job_id}/retry`)).status).toBe(409)
      }))
  })
})
