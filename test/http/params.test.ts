import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { get } from "./client.js"
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

layer(Harness.layer, { excludeTestServices: true })("parameters", (it) => {
  it.effect("every refused value is a 400 invalid_request naming its field and what is allowed", () =>
    Effect.gen(function* () {
      for (const [path, field] of REFUSED) {
        const reply = yield* get(path)
        expect({ path, status: reply.status }).toEqual({ path, status: 400 })
        expect(reply.body).toMatchObject({ ok: false, error: "invalid_request", details: { field } })
        expect(reply.body.message).toMatch(new RegExp(`^${field}: must be `))
        expect(reply.headers.get("x-request-id")).toBe(reply.body.request_id)
      }
    }))

  it.effect("the messages say what is allowed", () =>
    Effect.gen(function* () {
      expect((yield* get("/v1/renewal/jobs?status=x")).body.message).toBe("status: must be one of pending, running, done, failed")
      expect((yield* get("/v1/renewal/conversations?status=x")).body.message).toBe("status: must be one of manual, auto, paused")
      expect((yield* get("/v1/renewal/jobs?limit=0")).body.message).toBe("limit: must be an integer from 1 to 200")
      expect((yield* get("/v1/renewal/links?is_active=x")).body.message).toBe("is_active: must be true or false")
    }))

  it.effect("accepted values and defaults are echoed in filters", () =>
    Effect.gen(function* () {
      const defaults = yield* get("/v1/renewal/jobs")
      expect(defaults.body.data.filters).toEqual({ limit: 20, offset: 0 })
      const given = yield* get("/v1/renewal/links?is_active=false&limit=200&offset=3&platform=gemini&client_id=c1")
      expect(given.status).toBe(200)
      expect(given.body.data.filters).toEqual({ is_active: false, limit: 200, offset: 3, platform: "gemini", client_id: "c1" })
      const edge = yield* get("/v1/renewal/conversations?limit=1&offset=0&status=paused")
      expect(edge.body.data.filters).toEqual({ limit: 1, offset: 0, status: "paused" })
    }))
})
