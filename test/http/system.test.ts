import { expect, layer } from "@effect/vitest"
import { Clock, Effect, Option } from "effect"
import WebSocket from "ws"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { get, post } from "./client.js"
import { BaseUrl, layer as layerUnderTest, TOKEN, VERSION } from "./harness.js"
import * as Seed from "./seed.js"

layer(layerUnderTest, { excludeTestServices: true })("system, browser and timed jobs", (it) => {
  it.effect("pause, drain and resume set the automation state, which reads back", () =>
    Effect.gen(function*() {
      const initial = (yield* get("/v1/system/state")).body.data
      expect(initial).toMatchObject({ automation: "running", node_id: "node-test", role: "primary", version: VERSION })
      expect(initial.started_at).toEqual(expect.any(Number))
      expect((yield* post("/v1/system/pause")).body.data.automation).toBe("paused")
      expect((yield* get("/v1/system/state")).body.data.automation).toBe("paused")
      expect((yield* post("/v1/system/drain")).body.data.automation).toBe("draining")
      expect((yield* post("/v1/system/resume")).body.data).toMatchObject({
        automation: "running",
        started_at: initial.started_at
      })
      expect((yield* get("/v1/system/pause")).status).toBe(405)
    }))

  it.effect("resume makes jobs deferred while paused due at once", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation({ status: "auto" })
      yield* post("/v1/system/pause")
      const far = (yield* Clock.currentTimeMillis) + 3_600_000
      const deferred = yield* Seed.job(conversation.local_conversation_id, { next_attempt_at: far })
      yield* post("/v1/system/resume")
      const job = Option.getOrThrow(yield* (yield* ArtifactStore).getJob(deferred.job_id))
      expect(job.next_attempt_at).toBeLessThan(far)
    }))

  it.effect("GET /v1/browser lists the bridge's clients", () =>
    Effect.gen(function*() {
      const before = yield* get("/v1/browser")
      expect(before.status).toBe(200)
      expect(before.body.data).toEqual({ clients: [], policy: [] })
      const url = (yield* BaseUrl).replace(/^http/, "ws")
      yield* Effect.acquireRelease(
        Effect.async<WebSocket>((resume) => {
          const ws = new WebSocket(`${url}/v1/browser/ws?token=${TOKEN}`)
          ws.once("open", () =>
            ws.send(JSON.stringify({ type: "hello", client_id: "firefox-test", platforms: ["claude"], version: "1" })))
          ws.once("message", () =>
            resume(Effect.succeed(ws)))
        }),
        (ws) =>
          Effect.sync(() => ws.close())
      )
      const data = (yield* get("/v1/browser")).body.data
      // A connected client's platforms show their delivery policy.
      expect(data.policy).toEqual([
        {
          platform: "claude",
          limit_per_minute: null,
          used_last_minute: 0,
          circuit: "closed",
          consecutive_failures: 0,
          next_try_at: null
        }
      ])
      const after = data.clients
      expect(after).toEqual([
        expect.objectContaining({ client_id: "firefox-test", platforms: ["claude"], status: "fresh" })
      ])
      expect(after[0].connection_id).toMatch(/^conn_/)
    }).pipe(Effect.scoped))

  it.effect("the bridge's refusal before the upgrade carries one request id in header and body", () =>
    Effect.gen(function*() {
      const reply = yield* get("/v1/browser/ws", { token: null })
      expect(reply.status).toBe(401)
      expect(reply.body).toMatchObject({ ok: false, error: "unauthorized" })
      expect(reply.headers.get("x-request-id")).toBe(reply.body.request_id)
    }))

  it.effect("timed jobs list their runners and run one tick on demand", () =>
    Effect.gen(function*() {
      const before = (yield* get("/v1/timed-jobs")).body.data.runners
      expect(before.map((r: { name: string }) => r.name)).toEqual(["renewal.projector", "renewal.dispatcher"])
      expect(before[1]).toMatchObject({ interval_ms: 5000, last_tick: null })
      const run = yield* post("/v1/timed-jobs/renewal.dispatcher/run")
      expect(run.status).toBe(200)
      expect(run.body.data).toMatchObject({ runner: "renewal.dispatcher", trigger: "manual", result: "ok" })
      const after = (yield* get("/v1/timed-jobs")).body.data.runners
      expect(after[1].last_tick).toMatchObject({ batch_id: run.body.data.batch_id, trigger: "manual" })
      const broken = yield* post("/v1/timed-jobs/test.dies/run")
      expect(broken.status).toBe(500)
      expect(broken.body).toEqual({
        ok: false,
        request_id: broken.headers.get("x-request-id"),
        error: "internal_error",
        message: "internal error; see the daemon log"
      })
      const unknown = yield* post("/v1/timed-jobs/renewal.nothing/run")
      expect(unknown.status).toBe(404)
      expect(unknown.body).toMatchObject({
        error: "not_found",
        details: { resource: "runner", resource_id: "renewal.nothing" }
      })
    }))
})
