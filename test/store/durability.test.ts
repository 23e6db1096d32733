import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Array as Arr, Context, Effect, Layer } from "effect"
import { ArtifactStore, type ArtifactStoreService } from "../../src/services/ArtifactStore.js"
import { type StoreBackend, storeBackends } from "../support/storeBackends.js"
import { conversation, message, newJob, observation } from "./fixtures.js"

const opener = (layerAt: StoreBackend["layerAt"]) => (filename: string) =>
  Layer.build(layerAt(filename)).pipe(
    Effect.map((ctx) => ({ store: Context.get(ctx, ArtifactStore), sql: Context.get(ctx, SqlClient.SqlClient) }))
  )

const claimAll = (store: ArtifactStoreService, node_id: string) =>
  Effect.gen(function*() {
    const claimed: Array<string> = []
    while (true) {
      const batch = yield* store.claimDueJobs({ node_id, run_id: "run", now: 1_000, limit: 7 })
      if (batch.length === 0) return claimed
      claimed.push(...batch.map((j) => j.job_id))
      yield* Effect.yieldNow()
    }
  })

describe.each(storeBackends)("durability on $name", ({ layerAt, makeLocation: makeTempDbFile, migrations: loader }) => {
  const openStore = opener(layerAt)

  it.scoped("reopening the file keeps everything and re-running migrations is a no-op", () =>
    Effect.gen(function*() {
      const filename = yield* makeTempDbFile
      const written = yield* Effect.scoped(
        Effect.gen(function*() {
          const { store } = yield* openStore(filename)
          const obs = yield* store.recordObservation(observation(message("durable-1")))
          const job = yield* store.commitProjection(obs.message.seq, [
            newJob(obs.conversation.local_conversation_id, "durable-1")
          ])
          yield* store.setSystemAutomation("paused")
          return { obs, job: job[0]! }
        })
      )
      const { sql, store } = yield* openStore(filename)
      const migrations = yield* sql<{ readonly n: number }>`SELECT COUNT(*) AS n FROM effect_sql_migrations`
      expect(migrations[0]!.n).toBe((yield* Effect.orDie(loader)).length)
      expect(yield* store.systemAutomation).toBe("paused")
      expect(yield* store.projectorCursor).toBe(written.obs.message.seq)
      expect(yield* store.getJob(written.job.job_id)).toMatchObject({ value: written.job })
      expect(yield* store.getConversation(written.obs.conversation.local_conversation_id)).toMatchObject({
        value: written.obs.conversation
      })
      expect(yield* store.activeLink(written.obs.conversation.local_conversation_id)).toMatchObject({
        value: written.obs.link
      })
      const again = yield* store.insertMessage(message("durable-1"))
      expect(again.duplicate).toBe(true)
    }))

  it.scoped("two stores on one file racing to claim never take the same job", () =>
    Effect.gen(function*() {
      const filename = yield* makeTempDbFile
      const a = yield* openStore(filename)
      const b = yield* openStore(filename)
      const jobs = yield* Effect.forEach(Arr.range(1, 200), (i) =>
        Effect.gen(function*() {
          const c = yield* conversation(`race-${i}`).pipe(Effect.provideService(ArtifactStore, a.store))
          return newJob(c.local_conversation_id, `race-${i}`, { next_attempt_at: i })
        }))
      yield* a.store.commitProjection(0, jobs)

      const [byA, byB] = yield* Effect.all([claimAll(a.store, "node-a"), claimAll(b.store, "node-b")], {
        concurrency: 2
      })
      expect(byA.length).toBeGreaterThan(0)
      expect(byB.length).toBeGreaterThan(0)
      expect(byA.filter((id) => byB.includes(id))).toEqual([])
      expect(byA.length + byB.length).toBe(200)
      expect(yield* b.store.listJobs({ status: "running", limit: 200, offset: 0 })).toHaveLength(200)
    }))
})
