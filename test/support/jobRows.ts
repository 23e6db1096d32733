import { SqlClient } from "@effect/sql"
import { Clock, Effect, Option, Schema } from "effect"
import type { JobId, RenewalJob } from "../../src/domain/index.js"
import { JobPatchRow } from "../../src/layers/sql/rows.js"
import { ArtifactStore, type JobPatch } from "../../src/services/ArtifactStore.js"

/**
 * Puts a job straight into a state, stamping `updated_at`, for tests that start from one. The
 * store itself offers no unconditional write: every job change there is a compare-and-set.
 */
export const forceJob = (
  id: JobId,
  patch: JobPatch
): Effect.Effect<RenewalJob, never, ArtifactStore | SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const encoded = yield* Schema.encode(JobPatchRow)(patch)
    const set = Object.fromEntries(Object.entries(encoded).filter(([, value]) => value !== undefined))
    const now = yield* Clock.currentTimeMillis
    yield* sql`UPDATE renewal_jobs SET ${sql.update({ ...set, updated_at: now })} WHERE job_id = ${id}`
    return Option.getOrThrow(yield* (yield* ArtifactStore).getJob(id))
  }).pipe(Effect.orDie)
