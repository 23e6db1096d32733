import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { get, post } from "./client.js"
import * as Harness from "./harness.js"
import * as Seed from "./seed.js"
import { openEvents } from "./sse.js"

layer(Harness.layer, { excludeTestServices: true })("GET /v1/events", (it) => {
  it.scoped("refuses a missing or wrong token with the usual 401 envelope, before any stream", () =>
    Effect.gen(function*() {
      const none = yield* get("/v1/events", { token: null })
      expect(none.status).toBe(401)
      expect(none.body).toMatchObject({ ok: false, error: "unauthorized" })
      expect(none.headers.get("x-request-id")).toBe(none.body.request_id)
      const wrong = yield* get("/v1/events?token=nope", { token: null })
      expect(wrong.status).toBe(401)
      const badTypes = yield* get("/v1/events?types=job.updated,nonsense")
      expect(badTypes.status).toBe(400)
      expect(badTypes.body).toMatchObject({ ok: false, error: "invalid_request", details: { field: "types" } })
    }))

  it.scoped("streams the changes in order, numbered one by one, with the API's shapes", () =>
    Effect.gen(function*() {
      const stream = yield* openEvents("", { bearer: true })
      expect(stream.status).toBe(200)
      expect(stream.headers.get("content-type")).toMatch(/^text\/event-stream/)
      expect(yield* stream.next).toEqual({ comment: "connected" })

      const { conversation } = yield* Seed.conversation({ status: "manual" })
      const id = conversation.local_conversation_id
      yield* post(`/v1/renewal/conversations/${id}/auto`)
      const job = yield* Seed.job(id)
      yield* post("/v1/system/pause")
      yield* post("/v1/system/resume")

      const frames = []
      for (let i = 0; i < 6; i++) frames.push((yield* stream.nextEvent)!)
      expect(frames.map((f) => f.event)).toEqual([
        "conversation.updated",
        "message.stored",
        "conversation.updated",
        "job.updated",
        "system.updated",
        "system.updated"
      ])
      const first = Number(frames[0]!.id)
      frames.forEach((frame, i) => {
        expect(Number(frame.id)).toBe(first + i)
        expect(frame.data).toMatchObject({ type: frame.event, seq: first + i })
        expect(typeof frame.data.at).toBe("number")
      })
      expect(frames[0]!.data.conversation).toMatchObject({ local_conversation_id: id, automation_status: "manual" })
      expect(frames[1]!.data.message).toMatchObject({
        local_conversation_id: id,
        decision: "undecided",
        skip_reason: null
      })
      expect(frames[2]!.data.conversation.automation_status).toBe("auto")
      // The job as GET /v1/renewal/jobs/:id shows it (the seed touched `updated_at` since, without an event).
      const shown = (yield* get(`/v1/renewal/jobs/${job.job_id}`)).body.data
      expect({ ...frames[3]!.data.job, updated_at: 0 }).toEqual({ ...shown, updated_at: 0 })
      expect(frames[4]!.data.state).toMatchObject({
        automation: "paused",
        node_id: "node-test",
        version: Harness.VERSION
      })
      expect(frames[5]!.data.state.automation).toBe("running")
    }))

  it.scoped("?token= and ?types= give only the types asked for", () =>
    Effect.gen(function*() {
      const stream = yield* openEvents(`?token=${Harness.TOKEN}&types=system.updated`, { bearer: false })
      expect(stream.status).toBe(200)
      yield* stream.next
      yield* Seed.conversation()
      yield* post("/v1/system/drain")
      yield* post("/v1/system/resume")
      const a = (yield* stream.nextEvent)!
      const b = (yield* stream.nextEvent)!
      expect([a.event, a.data.state.automation, b.event, b.data.state.automation]).toEqual([
        "system.updated",
        "draining",
        "system.updated",
        "running"
      ])
    }))
})
