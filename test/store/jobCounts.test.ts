import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import type { JobStatus } from "../../src/domain/index.js"
import * as PgJobHousekeeping from "../../src/layers/pg/PgJobHousekeeping.js"
import * as SqliteJobHousekeeping from "../../src/layers/sqlite/SqliteJobHousekeeping.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { forceJob } from "../support/jobRows.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, newJob } from "./fixtures.js"

const page = { limit: 20, offset: 0 }

describe.each(storeBackends)("job totals on $name", ({ layer, name }) => {
  const housekeeping = name === "postgres" ? PgJobHousekeeping.make : SqliteJobHousekeeping.make

  it.layer(layer)((it) => {
    it.effect("follow inserts, status changes and pruning, with and without a status filter", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const jobs = yield* housekeeping
        const totals = Effect.all({
          all: store.countJobs(page),
          pending: store.countJobs({ ...page, status: "pending" }),
          done: store.countJobs({ ...page, status: "done" }),
          failed: store.countJobs({ ...page, status: "failed" })
        })
        const counted = (status?: JobStatus) =>
          Effect.map(store.listJobs({ limit: 200, offset: 0, ...(status ? { status } : {}) }), (l) => l.length)
        const before = yield* totals
        yield* TestClock.setTime(1_000)
        const ids = []
        for (const n of [1, 2, 3]) {
          const c = yield* conversation(`count-${n}`)
          ids.push((yield* store.insertJob(newJob(c.local_conversation_id, `count-${n}`))).job_id)
        }
        expect(yield* totals).toEqual({ ...before, all: before.all + 3, pending: before.pending + 3 })
        yield* forceJob(ids[0]!, { status: "done", finished_at: 2_000 })
        yield* forceJob(ids[1]!, { status: "failed", finished_at: 2_000 })
        yield* forceJob(ids[1]!, { status: "failed", finished_at: 2_500 })
        const moved = yield* totals
        expect(moved).toEqual({
          all: before.all + 3,
          pending: before.pending + 1,
          done: before.done + 1,
          failed: before.failed + 1
        })
        yield* jobs.pruneFinished({ before: 5_000, limit: 100 })
        const pruned = yield* totals
        expect(pruned).toEqual({ all: yield* counted(), pending: yield* counted("pending"), done: 0, failed: 0 })
      }))
  })
})
