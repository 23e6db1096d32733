import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ServerTest, TOKEN, wsUrl } from "./harness.js"
import { connect, refusal, request } from "./wsClient.js"

describe("GET /v1/browser/ws auth", () => {
  it.scoped("refuses a connection without a token with 401 before the upgrade", () =>
    Effect.gen(function*() {
      const refused = yield* refusal(yield* wsUrl())
      expect(refused.status).toBe(401)
      expect(refused.body).toMatchObject({ ok: false, error: "unauthorized" })
      expect(typeof refused.body.request_id).toBe("string")
      expect(typeof refused.body.message).toBe("string")
      expect(refused.headers["x-request-id"]).toBe(refused.body.request_id)
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("refuses a wrong token, in the query or as a bearer", () =>
    Effect.gen(function*() {
      const byQuery = yield* refusal(yield* wsUrl("?token=wrong"))
      const byHeader = yield* refusal(yield* wsUrl(), { authorization: `Bearer ${TOKEN}x` })
      expect([byQuery.status, byHeader.status]).toEqual([401, 401])
      expect(byQuery.body.error).toBe("unauthorized")
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("accepts the token as ?token= or as Authorization: Bearer", () =>
    Effect.gen(function*() {
      const byQuery = yield* connect(yield* wsUrl(`?token=${encodeURIComponent(TOKEN)}`))
      const byHeader = yield* connect(yield* wsUrl(), { authorization: `Bearer ${TOKEN}` })
      const ackQuery = yield* request(byQuery, { type: "hello", client_id: "firefox-a", platforms: ["chatgpt"] })
      const ackHeader = yield* request(byHeader, { type: "hello", client_id: "firefox-b", platforms: ["claude"] })
      expect(ackQuery).toMatchObject({ type: "hello_ack", server_time: expect.any(Number) })
      expect(ackQuery.connection_id).toMatch(/^conn_/)
      expect(ackHeader.type).toBe("hello_ack")
      expect(ackHeader.connection_id).not.toBe(ackQuery.connection_id)
    }).pipe(Effect.provide(ServerTest)))
})
