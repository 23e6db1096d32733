import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import * as PgJobHousekeeping from "../../src/layers/pg/PgJobHousekeeping.js"
import * as SqliteJobHousekeeping from "../../src/layers/sqlite/SqliteJobHousekeeping.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { forceJob } from "../support/jobRows.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, newJob } from "./fixtures.js"

describe.each(storeBackends)("job housekeeping on $name", ({ layer, name }) => {
  const housekeeping = name === "postgres" ? PgJobHousekeeping.make : SqliteJobHousekeeping.make

  it.layer(layer)((it) => {
    it.effect("counts jobs by status and prunes finished ones older than the cut-off, in batches", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const jobs = yield* housekeeping
        yield* TestClock.setTime(1_000)
        const ids = []
        for (const n of [1, 2, 3, 4]) {
          const c = yield* conversation(`hk-${n}`)
          ids.push((yield* store.insertJob(newJob(c.local_conversation_id, `hk-${n}`))).job_id)
        }
        yield* forceJob(ids[0]!, { status: "done", finished_at: 2_000 })
        yield* forceJob(ids[1]!, { status: "failed", finished_at: 2_000 })
        yield* forceJob(ids[2]!, { status: "done", finished_at: 9_000 })
        expect(yield* jobs.countByStatus).toMatchObject({ pending: 1, done: 2, failed: 1, running: 0 })

        expect(yield* jobs.pruneFinished({ before: 5_000, limit: 1 })).toBe(1)
        expect(yield* jobs.pruneFinished({ before: 5_000, limit: 1 })).toBe(1)
        expect(yield* jobs.pruneFinished({ before: 5_000, limit: 1 })).toBe(0)
        expect(Option.isNone(yield* store.getJob(ids[0]!))).toBe(true)
        expect(Option.isSome(yield* store.getJob(ids[2]!))).toBe(true)
        expect(yield* jobs.countByStatus).toMatchObject({ pending: 1, done: 1, failed: 0 })
      }))
  })
})
