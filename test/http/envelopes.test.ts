import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { call, get, post } from "./client.js"
import * as Harness from "./harness.js"

/** [path, field] pairs that must each be refused with 400 naming the field. */
const REFUSED: ReadonlyArray<readonly [string, string]> = [
  ["/v1/renewal/conversations?status=bogus", "status"],
  ["/v1/renewal/conversations?status=", "status"],
  ["/v1/renewal/conversations?platform=ChatGPT", "platform"],
  ["/v1/renewal/conversations?limit=0", "limit"],
  ["/v1/renewal/conversations?limit=201", "limit"],
  ["/v1/renewal/conversations?limit=abc", "limit"],
  ["/v1/renewal/conversations?limit=1.5", "limit"],
  ["/v1/renewal/conversations?limit=-1", "limit"],
  ["/v1/renewal/conversations?limit=", "limit"],
  ["/v1/renewal/conversations?offset=-1", "offset"],
  ["/v1/renewal/conversations?offset=x", "offset"],
  ["/v1/renewal/links?is_active=yes", "is_active"],
  ["/v1/renewal/links?is_active=1", "is_active"],
  ["/v1/renewal/links?limit=500", "limit"],
  ["/v1/renewal/links?offset=0.5", "offset"],
  ["/v1/renewal/jobs?status=queued", "status"],
  ["/v1/renewal/jobs?status=manual", "status"],
  ["/v1/renewal/jobs?limit=1e2", "limit"],
  ["/v1/renewal/jobs?offset=1e3", "offset"],
  ["/v1/renewal/jobs?status=pending&status=done", "status"]
]

layer(Harness.layer, { excludeTestServices: true })("envelopes", (it) => {
  it.effect("a success is {ok, request_id, data} with the same id in x-request-id", () =>
    Effect.gen(function*() {
      const reply = yield* get("/v1/system/state")
      expect(reply.status).toBe(200)
      expect(Object.keys(reply.body).sort()).toEqual(["data", "ok", "request_id"])
      expect(reply.body.ok).toBe(true)
      expect(reply.body.request_id).toMatch(/^req_/)
      expect(reply.headers.get("x-request-id")).toBe(reply.body.request_id)
      expect(reply.body.data).toMatchObject({
        automation: "running",
        node_id: "node-test",
        role: "primary",
        version: Harness.VERSION
      })
    }))

  it.effect("an incoming x-request-id is kept in the header and the envelope", () =>
    Effect.gen(function*() {
      const ok = yield* get("/v1/browser", { headers: { "x-request-id": "trace-42" } })
      expect(ok.headers.get("x-request-id")).toBe("trace-42")
      expect(ok.body.request_id).toBe("trace-42")
      const failed = yield* get("/v1/renewal/jobs/nope", { headers: { "x-request-id": "trace-43" } })
      expect(failed.headers.get("x-request-id")).toBe("trace-43")
      expect(failed.body.request_id).toBe("trace-43")
    }))

  describe("401", () => {
    it.effect("without a token, with a wrong one, or with another scheme", () =>
      Effect.gen(function*() {
        const replies = [
          yield* get("/v1/system/state", { token: null }),
          yield* get("/v1/system/state", { token: "wrong-token" }),
          yield* get("/v1/renewal/jobs", { token: null, headers: { authorization: `Basic ${Harness.TOKEN}` } }),
          yield* post("/v1/system/pause", { token: null })
        ]
        for (const reply of replies) {
          expect(reply.status).toBe(401)
          expect(reply.body).toMatchObject({ ok: false, error: "unauthorized" })
          expect(reply.body.message).toEqual(expect.any(String))
          expect(reply.headers.get("x-request-id")).toBe(reply.body.request_id)
        }
        const state = yield* get("/v1/system/state")
        expect(state.body.data.automation).toBe("running")
      }))

    it.effect("comes before parameter checks", () =>
      Effect.gen(function*() {
        const reply = yield* get("/v1/renewal/jobs?status=bogus", { token: null })
        expect(reply.status).toBe(401)
      }))

    it.effect("comes before everything else on a /v1 path: unknown routes, wrong methods, oversized bodies", () =>
      Effect.gen(function*() {
        const replies = [
          yield* get("/v1/nope", { token: null }),
          yield* get("/v1", { token: null }),
          yield* get("/v1/renewal/../nope", { token: null }),
          yield* post("/v1/renewal/jobs", { token: null }),
          yield* post("/v1/system/pause", { token: null, body: "x".repeat(1024 * 1024 + 1) }),
          yield* get("/v1/system/state?token=" + Harness.TOKEN, { token: null })
        ]
        for (const reply of replies) {
          expect(reply.status).toBe(401)
          expect(reply.body).toMatchObject({ ok: false, error: "unauthorized" })
          expect(reply.headers.get("x-request-id")).toBe(reply.body.request_id)
        }
      }))
  })

  it.effect("405 with an Allow header for a known path asked with another method", () =>
    Effect.gen(function*() {
      const cases = [
        [yield* post("/v1/renewal/jobs"), "GET"],
        [yield* get("/v1/system/pause"), "POST"],
        [yield* call("/v1/renewal/jobs/job_1", { method: "DELETE" }), "GET"],
        [yield* post("/healthz", { token: null }), "GET"]
      ] as const
      for (const [reply, allow] of cases) {
        expect(reply.status).toBe(405)
        expect(reply.headers.get("allow")).toBe(allow)
        expect(reply.body).toMatchObject({ ok: false, error: "method_not_allowed", details: { allow: [allow] } })
        expect(reply.headers.get("x-request-id")).toBe(reply.body.request_id)
      }
    }))

  it.effect("404 for an unknown route, in the envelope", () =>
    Effect.gen(function*() {
      for (const reply of [yield* get("/v1/nope"), yield* get("/v1/renewal/jobs/a/b"), yield* get("/")]) {
        expect(reply.status).toBe(404)
        expect(reply.body).toMatchObject({ ok: false, error: "not_found", details: { resource: "route" } })
        expect(reply.headers.get("x-request-id")).toBe(reply.body.request_id)
      }
    }))

  it.effect("413 for a body over 1 MiB", () =>
    Effect.gen(function*() {
      const reply = yield* post("/v1/system/pause", {
        body: "x".repeat(1024 * 1024 + 1),
        headers: { "content-type": "text/plain" }
      })
      expect(reply.status).toBe(413)
      expect(reply.body).toMatchObject({ ok: false, error: "payload_too_large", details: { limit_bytes: 1024 * 1024 } })
      const state = yield* get("/v1/system/state")
      expect(state.body.data.automation).toBe("running")
    }))

  it.effect("413 for a chunked body over 1 MiB too, with the answer delivered", () =>
    Effect.gen(function*() {
      const base = yield* Harness.BaseUrl
      const chunk = new Uint8Array(256 * 1024)
      const reply = yield* Effect.promise(async () => {
        let sent = 0
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent++ < 5) controller.enqueue(chunk)
            else controller.close()
          }
        })
        const init = { method: "POST", body, duplex: "half", headers: { authorization: `Bearer ${Harness.TOKEN}` } }
        const response = await fetch(`${base}/v1/system/pause`, init as RequestInit)
        return { status: response.status, body: await response.json() }
      })
      expect(reply.status).toBe(413)
      expect(reply.body).toMatchObject({ ok: false, error: "payload_too_large" })
      expect((yield* get("/v1/system/state")).body.data.automation).toBe("running")
    }))

  it.effect("/healthz answers without a token", () =>
    Effect.gen(function*() {
      const reply = yield* get("/healthz", { token: null })
      expect(reply.status).toBe(200)
      expect(reply.body.ok).toBe(true)
      expect(reply.body.data).toMatchObject({ ok: true, version: Harness.VERSION })
      expect(reply.body.data.uptime_ms).toBeGreaterThanOrEqual(0)
    }))

  it.effect("/openapi.json describes every route, without a token", () =>
    Effect.gen(function*() {
      const reply = yield* get("/openapi.json", { token: null })
      expect(reply.status).toBe(200)
      expect(reply.body.info).toMatchObject({ title: "baa-conductor", version: Harness.VERSION })
      expect(Object.keys(reply.body.paths)).toEqual(expect.arrayContaining([
        "/healthz",
        "/v1/renewal/conversations",
        "/v1/renewal/conversations/{local_conversation_id}",
        "/v1/renewal/conversations/{local_conversation_id}/auto",
        "/v1/renewal/links",
        "/v1/renewal/jobs",
        "/v1/renewal/jobs/{job_id}/retry",
        "/v1/renewal/jobs/{job_id}/cancel",
        "/v1/system/state",
        "/v1/system/drain",
        "/v1/browser",
        "/v1/timed-jobs",
        "/v1/timed-jobs/{runner}/run"
      ]))
      expect(reply.body.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" })
      expect(reply.text).not.toContain("HttpApiDecodeError")
    }))

  it.effect("/docs is a page that loads nothing from elsewhere", () =>
    Effect.gen(function*() {
      const reply = yield* get("/docs", { token: null })
      expect(reply.status).toBe(200)
      expect(reply.headers.get("content-type")).toContain("text/html")
      expect(reply.text).toContain("/v1/renewal/jobs/{job_id}/retry")
      expect(reply.text).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/i)
    }))

  describe("400 for refused parameters", () => {
    it.effect("every refused value is a 400 invalid_request naming its field and what is allowed", () =>
      Effect.gen(function*() {
        for (const [path, field] of REFUSED) {
          const reply = yield* get(path)
          expect({ path, status: reply.status }).toEqual({ path, status: 400 })
          expect(reply.body).toMatchObject({ ok: false, error: "invalid_request", details: { field } })
          expect(reply.body.message).toMatch(new RegExp(`^${field}: must be `))
          expect(reply.headers.get("x-request-id")).toBe(reply.body.request_id)
        }
      }))

    it.effect("the messages say what is allowed", () =>
      Effect.gen(function*() {
        expect((yield* get("/v1/renewal/jobs?status=x")).body.message).toBe(
          "status: must be one of pending, running, done, failed"
        )
        expect((yield* get("/v1/renewal/conversations?status=x")).body.message).toBe(
          "status: must be one of manual, auto, paused"
        )
        expect((yield* get("/v1/renewal/jobs?limit=0")).body.message).toBe("limit: must be an integer from 1 to 200")
        expect((yield* get("/v1/renewal/links?is_active=x")).body.message).toBe("is_active: must be true or false")
      }))

    it.effect("accepted values and defaults are echoed in filters", () =>
      Effect.gen(function*() {
        const defaults = yield* get("/v1/renewal/jobs")
        expect(defaults.body.data.filters).toEqual({ limit: 20, offset: 0 })
        const given = yield* get("/v1/renewal/links?is_active=false&limit=200&offset=3&platform=gemini&client_id=c1")
        expect(given.status).toBe(200)
        expect(given.body.data.filters).toEqual({
          is_active: false,
          limit: 200,
          offset: 3,
          platform: "gemini",
          client_id: "c1"
        })
        const edge = yield* get("/v1/renewal/conversations?limit=1&offset=0&status=paused")
        expect(edge.body.data.filters).toEqual({ limit: 1, offset: 0, status: "paused" })
      }))
  })
})
