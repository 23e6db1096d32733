import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import { Envelope } from "../../src/http/Envelope.js"
import { jobListJson } from "../../src/http/JobListJson.js"
import { JobQuery } from "../../src/http/Params.js"
import { currentRequestId } from "../../src/http/RequestId.js"
import { JobList, toJobView } from "../../src/http/Views.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { conversation, newJob, snapshot } from "../store/fixtures.js"
import { forceJob } from "../support/jobRows.js"
import { tempStoreLayer } from "../support/tempStore.js"

const json = (value: unknown) => JSON.stringify(value)

/** Payloads that take every branch of `payload` and `payload_text`. */
const payloads = [
  { payload_kind: "text", payload: "plain text\nwith a line" },
  { payload_kind: "text", payload: "   " },
  { payload_kind: "json", payload: json({ kind: "renewal.message", text: "é \u2028 \"quoted\" </script>", n: 1.5 }) },
  { payload_kind: "json", payload: `{ "text" : "spaced out" , "extra": [1, 2.0, 1e3] }` },
  { payload_kind: "json", payload: json({ text: "" }) },
  { payload_kind: "json", payload: json({ text: 7 }) },
  { payload_kind: "json", payload: json(["text"]) },
  { payload_kind: "json", payload: json("just a string") },
  { payload_kind: "json", payload: "null" },
  { payload_kind: "json", payload: "{broken" }
] as const

/** The bytes the schemas produce: `Envelope(JobList)` over `toJobView`, as the route used to answer. */
const bySchemas = (request_id: string, filters: typeof JobQuery.Type, jobs: Parameters<typeof toJobView>[0][]) =>
  Schema.encode(Envelope(JobList))({ count: jobs.length, total: 42, filters, jobs: jobs.map(toJobView) }).pipe(
    Effect.map(json),
    Effect.locally(currentRequestId, request_id)
  )

describe("the job list written from stored rows", () => {
  it.layer(tempStoreLayer)((it) => {
    it.effect("is byte for byte what the list and envelope schemas encode", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("json-list")
        for (const [i, p] of payloads.entries()) {
          const job = yield* store.insertJob(
            newJob(c.local_conversation_id, `jl-${i}`, {
              ...p,
              target_snapshot: i % 3 === 0 ? null : snapshot,
              next_attempt_at: i
            })
          )
          if (i % 2 === 1) {
            yield* forceJob(job.job_id, { status: "failed", last_error: "delivery \"timeout\"", finished_at: 99 })
          }
        }
        const queries = [{}, { status: "failed", limit: "3" }, {
          offset: "2",
          limit: "4",
          local_conversation_id: c.local_conversation_id
        }]
        for (const query of queries) {
          const filters = yield* Schema.decodeUnknown(JobQuery)(query)
          const stored = Either.getOrThrow(yield* store.listStoredJobs(filters))
          const decoded = yield* store.listJobs(filters)
          expect(stored.length).toBeGreaterThan(0)
          expect(jobListJson("req_1", filters, 42, stored)).toBe(yield* bySchemas("req_1", filters, [...decoded]))
        }
      }))
  })
})
