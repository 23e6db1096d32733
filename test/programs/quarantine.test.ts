import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as Projector from "../../src/programs/projector/Projector.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"
import { dispatchOnce, logged, programsEnv, tickContext } from "./dispatcherEnv.js"
import { RUN_ID, T0 } from "./fixtures.js"
import { conversationWithJob, getJob, observe } from "./seed.js"

const script = BrowserBridgeTest.BrowserBridgeScript

/** Damage a job row the way a hand edit would: unparseable JSON and a number that is text. */
const corruptJob = (job_id: string) =>
  Effect.flatMap(
    SqlClient.SqlClient,
    (sql) => sql`UPDATE renewal_jobs SET target_snapshot = '{not json', attempt_count = 'many' WHERE job_id = ${job_id}`
  )

describe("quarantine: rows that no longer decode", () => {
  it.scoped("a corrupt job lists as far as it can be read, is failed with corrupt_record once claimed, and the others go on", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("bad", T0)
      yield* conversationWithJob("good", T0, { tab_id: 18 })
      yield* corruptJob("job_bad")
      const store = yield* ArtifactStore

      const listed = yield* store.listJobs({ limit: 10, offset: 0 })
      expect(listed.map((j) => j.job_id).sort()).toEqual(["job_bad", "job_good"])
      expect(listed.find((j) => j.job_id === "job_bad")).toMatchObject({
        status: "pending",
        last_error: "corrupt_record",
        target_snapshot: null,
        attempt_count: 0,
        next_attempt_at: T0,
        message_id: "msg_bad"
      })

      yield* (yield* script).respond(BrowserBridgeTest.accepted())
      const tick = yield* dispatchOnce()
      expect(tick.details).toMatchObject({ due_jobs: 2, successful_jobs: 1, failed_jobs: 1, errored_jobs: 0 })
      expect(yield* getJob("job_good")).toMatchObject({ status: "done" })
      expect(yield* getJob("job_bad")).toMatchObject({
        status: "failed",
        last_error: "corrupt_record",
        finished_at: T0
      })
      expect((yield* logged("job_failed")).map((e) => [e.details?.["job_id"], e.result])).toEqual([[
        "job_bad",
        "corrupt_record"
      ]])
      expect(yield* (yield* script).requests).toHaveLength(1)

      // Failed, it is never claimed again.
      yield* TestClock.adjust(60_000)
      expect((yield* dispatchOnce(2)).result).toBe("idle")
    }).pipe(Effect.provide(programsEnv())))

  it.scoped("a corrupt job left running is quarantined by stale recovery instead of failing every tick", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("stuck", T0)
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE renewal_jobs SET status = 'running', claimed_by_node = 'node-test', claimed_run = 'run-1',
                 claimed_at = ${T0} WHERE job_id = 'job_stuck'`
      yield* corruptJob("job_stuck")
      expect(RUN_ID).not.toBe("run-1")

      const tick = yield* dispatchOnce()
      expect(tick.details).toMatchObject({ recovered_jobs: 1, due_jobs: 0 })
      expect(yield* getJob("job_stuck")).toMatchObject({ status: "failed", last_error: "corrupt_record" })
      expect((yield* logged("job_failed")).map((e) => e.result)).toEqual(["corrupt_record"])
    }).pipe(Effect.provide(programsEnv())))

  it.effect("a corrupt message is skipped with corrupt_record and the projector moves past it", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      yield* observe({ conversation: "c_bad", message_id: "m_bad", observed_at: T0 - 1000 })
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE messages SET observed_at = 'yesterday' WHERE id = 'm_bad'`
      const projector = yield* Projector.make
      const first = yield* projector.tick({ ...tickContext(), max_messages_per_tick: 1 })
      expect(first.details).toMatchObject({ cursor_after: 1, scanned_messages: 1, created_jobs: 0 })
      expect((yield* logged("message_skipped")).map((e) => [e.details?.["message_id"], e.result])).toEqual([
        ["m_bad", "corrupt_record"]
      ])

      yield* observe({ conversation: "c_ok", message_id: "m_ok", observed_at: T0 - 1000 })
      const second = yield* projector.tick(tickContext(2))
      expect(second.details).toMatchObject({ cursor_after: 2, created_jobs: 1 })
    }).pipe(Effect.provide(programsEnv())))
})
