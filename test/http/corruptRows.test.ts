import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { get } from "./client.js"
import * as Harness from "./harness.js"
import * as Seed from "./seed.js"

layer(Harness.layer, { excludeTestServices: true })("renewal reads of damaged rows", (it) => {
  it.effect("a job whose row no longer decodes is listed and read as far as it can be, not a 500", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation({ status: "auto" })
      const id = conversation.local_conversation_id
      const bad = yield* Seed.job(id)
      const good = yield* Seed.job(id)
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE renewal_jobs SET target_snapshot = '[1,', max_attempts = -3 WHERE job_id = ${bad.job_id}`

      const list = yield* get(`/v1/renewal/jobs?local_conversation_id=${id}`)
      expect(list.status).toBe(200)
      const jobs = list.body.data.jobs as ReadonlyArray<{ job_id: string; last_error: string | null }>
      expect(jobs.map((j) => j.job_id).sort()).toEqual([bad.job_id, good.job_id].sort())
      expect(jobs.find((j) => j.job_id === bad.job_id)).toMatchObject({
        last_error: "corrupt_record",
        target_snapshot: null
      })

      const one = yield* get(`/v1/renewal/jobs/${bad.job_id}`)
      expect(one.status).toBe(200)
      expect(one.body.data).toMatchObject({ job_id: bad.job_id, last_error: "corrupt_record", max_attempts: 1 })
      expect((yield* get(`/v1/renewal/conversations/${id}`)).status).toBe(200)
    }))
})
