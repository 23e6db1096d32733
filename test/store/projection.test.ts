import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, newJob } from "./fixtures.js"

describe.each(storeBackends)("projection on $name", ({ layer: tempStoreLayer }) => {
  it.effect("commits the jobs and the cursor together, and rolls both back on failure", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const c = yield* conversation("proj")
      const id = c.local_conversation_id
      expect(yield* store.projectorCursor).toBe(0)

      const committed = yield* store.commitProjection(5, [newJob(id, "p-1"), newJob(id, "p-2")])
      expect(committed.map((j) => j.message_id)).toEqual(["p-1", "p-2"])
      expect(yield* store.projectorCursor).toBe(5)

      const dupInBatch = yield* store.commitProjection(9, [newJob(id, "p-3"), newJob(id, "p-3")]).pipe(Effect.flip)
      expect(dupInBatch).toMatchObject({ _tag: "JobAlreadyExists", message_id: "p-3" })
      const dupOfStored = yield* store.commitProjection(9, [newJob(id, "p-4"), newJob(id, "p-1")]).pipe(Effect.flip)
      expect(dupOfStored._tag).toBe("JobAlreadyExists")
      const orphan = yield* store
        .commitProjection(9, [newJob(id, "p-5"), {
          ...newJob(id, "p-6"),
          local_conversation_id: "lc_none" as typeof id
        }])
        .pipe(Effect.flip)
      expect(orphan._tag).toBe("InvalidStoreInput")

      expect(yield* store.projectorCursor).toBe(5)
      const jobs = yield* store.listJobs({ limit: 20, offset: 0 })
      expect(jobs.map((j) => j.message_id).sort()).toEqual(["p-1", "p-2"])

      // A batch with no jobs still moves the cursor past skipped messages.
      expect(yield* store.commitProjection(12, [])).toEqual([])
      expect(yield* store.projectorCursor).toBe(12)
    }).pipe(Effect.provide(tempStoreLayer)))

  it.effect("system automation is running until set", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      expect(yield* store.systemAutomation).toBe("running")
      expect(yield* store.setSystemAutomation("draining")).toBe("draining")
      expect(yield* store.systemAutomation).toBe("draining")
    }).pipe(Effect.provide(tempStoreLayer)))
})
