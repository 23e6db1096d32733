import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { snapshot } from "../store/fixtures.js"
import { get, type Reply } from "./client.js"
import * as Harness from "./harness.js"
import * as Seed from "./seed.js"

const SNAPSHOT = JSON.stringify(snapshot)

/** What must agree between two answers: status, body (request ids aside) and the headers that describe it. */
const shape = (reply: Reply) => ({
  status: reply.status,
  type: reply.headers.get("content-type"),
  length: reply.headers.get("content-length"),
  body: reply.text.replace(/"request_id":"[^"]*"/, `"request_id":""`)
})

layer(Harness.layer, { excludeTestServices: true })("the job list's direct route", (it) => {
  it.effect("answers byte for byte as the API does (an unknown parameter sends a request to the API)", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation({ status: "auto" })
      const id = conversation.local_conversation_id
      const withSnapshot = yield* Seed.job(id, { status: "done" })
      yield* Seed.job(id, { payload_kind: "text", payload: "plain text reply" })
      yield* Seed.job(id, { status: "failed" })
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE renewal_jobs SET target_snapshot = ${SNAPSHOT} WHERE job_id = ${withSnapshot.job_id}`

      for (
        const query of [
          `local_conversation_id=${id}`,
          `local_conversation_id=${id}&status=done`,
          `local_conversation_id=${id}&limit=2&offset=1`
        ]
      ) {
        const direct = yield* get(`/v1/renewal/jobs?${query}`)
        const api = yield* get(`/v1/renewal/jobs?${query}&unknown=1`)
        expect(direct.status).toBe(200)
        expect(shape(direct)).toEqual(shape(api))
        expect(direct.headers.get("x-request-id")).toBe(direct.body.request_id)
      }
      const listed = (yield* get(`/v1/renewal/jobs?local_conversation_id=${id}&status=done`)).body.data.jobs
      expect(listed[0].target_snapshot).toEqual(JSON.parse(SNAPSHOT))
    }))

  it.effect("leaves refused and repeated parameters to the API's 400", () =>
    Effect.gen(function*() {
      for (const query of ["limit=0", "status=done&status=failed", "offset=-1"]) {
        const reply = yield* get(`/v1/renewal/jobs?${query}`)
        expect(reply.status).toBe(400)
        expect(reply.body).toMatchObject({ ok: false, error: "invalid_request" })
      }
    }))
})
