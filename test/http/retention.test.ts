import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Clock, Effect, Option } from "effect"
import type { JobId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { DAY_MS } from "../../src/services/Retention.js"
import { get, post } from "./client.js"
import { layer as layerUnderTest } from "./harness.js"
import * as Seed from "./seed.js"

/** Moves a finished job back in time: created and finished `days` ago. */
const age = (job_id: JobId, days: number) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const at = (yield* Clock.currentTimeMillis) - days * DAY_MS
    yield* sql`UPDATE renewal_jobs SET created_at = ${at}, finished_at = ${at} WHERE job_id = ${job_id}`
  }).pipe(Effect.orDie)

layer(layerUnderTest, { excludeTestServices: true })("POST /v1/renewal/prune", (it) => {
  it.effect("deletes finished jobs past --job-retention-days and says what it removed", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation()
      const id = conversation.local_conversation_id
      const oldDone = yield* Seed.job(id, { status: "done" })
      const oldFailed = yield* Seed.job(id, { status: "failed" })
      const recentDone = yield* Seed.job(id, { status: "done" })
      const oldPending = yield* Seed.job(id)
      yield* age(oldDone.job_id, 31)
      yield* age(oldFailed.job_id, 45)
      yield* age(recentDone.job_id, 29)
      yield* age(oldPending.job_id, 60)

      const pruned = yield* post("/v1/renewal/prune")
      expect(pruned.status).toBe(200)
      const now = yield* Clock.currentTimeMillis
      expect(pruned.body.data).toMatchObject({ deleted_jobs: 2, deleted_log_files: [], batches: 1 })
      expect(pruned.body.data.jobs_finished_before).toBeLessThanOrEqual(now - 30 * DAY_MS)

      const store = yield* ArtifactStore
      expect(Option.isNone(yield* store.getJob(oldDone.job_id))).toBe(true)
      expect(Option.isNone(yield* store.getJob(oldFailed.job_id))).toBe(true)
      expect(Option.isSome(yield* store.getJob(recentDone.job_id))).toBe(true)
      expect(Option.isSome(yield* store.getJob(oldPending.job_id))).toBe(true)
      expect((yield* get(`/v1/renewal/jobs/${oldDone.job_id}`)).status).toBe(404)

      expect((yield* post("/v1/renewal/prune")).body.data).toMatchObject({ deleted_jobs: 0, batches: 1 })
      expect((yield* post("/v1/renewal/prune", { token: null })).status).toBe(401)
    }))
})
