import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Schedule, TestClock, TestServices } from "effect"
import { JobId } from "../../src/domain/index.js"
import * as JsonlRenewalLog from "../../src/layers/JsonlRenewalLog.js"
import { removeDaysBefore } from "../../src/layers/logRetention.js"
import * as RetentionProgram from "../../src/programs/retention/Retention.js"
import * as Scheduler from "../../src/programs/timedJobs/Scheduler.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { RenewalLog } from "../../src/services/RenewalLog.js"
import {
  DAY_MS,
  defaultRetentionSettings,
  HOUR_MS,
  RETENTION,
  RetentionSettings
} from "../../src/services/Retention.js"
import type { TimedJobsService } from "../../src/services/TimedJobs.js"
import { forceJob } from "../support/jobRows.js"
import * as RenewalLogTest from "../support/RenewalLogTest.js"
import { makeTempDir } from "../support/tempStore.js"
import { programsEnv } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { conversationWithJob } from "./seed.js"

/** A finished job created and finished at `at`. */
const finishedJob = (name: string, status: "done" | "failed", at: number) =>
  Effect.gen(function*() {
    yield* TestClock.setTime(at)
    yield* conversationWithJob(name, at)
    yield* forceJob(JobId.make(`job_${name}`), { status, finished_at: at, next_attempt_at: null })
  })

const jobIds = Effect.flatMap(ArtifactStore, (store) => store.listJobs({ limit: 100, offset: 0 })).pipe(
  Effect.map((jobs) => jobs.map((job) => job.job_id).sort())
)

/** The runner ticks on its own fiber and its file work is real I/O: wait (in real time, briefly) for the tick. */
const tickDone = (jobs: TimedJobsService, after: number) =>
  Effect.gen(function*() {
    const [status] = yield* jobs.runners
    return status?.last_tick ?? null
  }).pipe(
    Effect.filterOrFail((tick) => tick !== null && tick.started_at >= after),
    Effect.retry(Schedule.spaced("5 millis").pipe(Schedule.intersect(Schedule.recurs(2000)))),
    TestServices.provideLive,
    Effect.orDie
  )

const NOW = T0 + 40 * DAY_MS

describe("retention", () => {
  it.scoped("every hour, finished jobs and log files past their retention go in batches; recent ones and live jobs stay", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      for (const n of [1, 2, 3, 4, 5]) yield* finishedJob(`old_${n}`, n % 2 === 0 ? "failed" : "done", T0)
      yield* finishedJob("recent", "done", NOW - 29 * DAY_MS)
      yield* TestClock.setTime(T0)
      yield* conversationWithJob("pending", T0)

      // Lines stay in memory (the JSONL log's flusher would tick through every hour on the
      // TestClock); its files are real, and removed by the JSONL log's own removal.
      const logs = path.join(yield* makeTempDir, "logs", "timed-jobs")
      yield* fs.makeDirectory(logs, { recursive: true })
      const memory = yield* RenewalLog
      const log = RenewalLog.of({
        ...memory,
        removeBefore: (ts) =>
          removeDaysBefore(logs, JsonlRenewalLog.utcDay(ts)).pipe(Effect.provideService(FileSystem.FileSystem, fs))
      })
      const day = (ts: number) => path.join(logs, `${JsonlRenewalLog.utcDay(ts)}.jsonl`)
      for (const ts of [NOW - 15 * DAY_MS, NOW - 20 * DAY_MS, NOW - 14 * DAY_MS, NOW - DAY_MS]) {
        yield* fs.writeFileString(day(ts), "{}\n")
      }
      yield* fs.writeFileString(path.join(logs, "notes.txt"), "kept")

      yield* TestClock.setTime(NOW)
      const jobs = yield* Effect.flatMap(RetentionProgram.make, (retention) => Scheduler.make([retention.runner])).pipe(
        Effect.provideService(RenewalLog, log)
      )
      expect((yield* jobs.runners)[0]).toMatchObject({ name: RETENTION, interval_ms: HOUR_MS, last_tick: null })
      expect((yield* jobIds).length).toBe(7)

      yield* TestClock.adjust(HOUR_MS)
      const tick = yield* tickDone(jobs, NOW + HOUR_MS)
      // Five old jobs in batches of two: three transactions, the last one short.
      expect(tick).toMatchObject({ result: "ok", details: { deleted_jobs: 5, deleted_log_files: 2, batches: 3 } })
      expect(yield* jobIds).toEqual(["job_pending", "job_recent"])
      const [line] = yield* RenewalLogTest.RenewalLogEntries.pipe(
        Effect.flatMap((e) => e.stages("retention_completed"))
      )
      expect(line).toMatchObject({ runner: RETENTION, result: "ok", details: { deleted_jobs: 5, trigger: "schedule" } })
      expect((yield* fs.readDirectory(logs)).sort()).toEqual(
        [
          `${JsonlRenewalLog.utcDay(NOW - 14 * DAY_MS)}.jsonl`,
          `${JsonlRenewalLog.utcDay(NOW - DAY_MS)}.jsonl`,
          "notes.txt"
        ].sort()
      )

      // An hour later nothing is old enough: the tick is idle.
      yield* TestClock.adjust(HOUR_MS)
      expect(yield* tickDone(jobs, NOW + 2 * HOUR_MS)).toMatchObject({
        result: "idle",
        details: { deleted_jobs: 0, batches: 1 }
      })
      expect(yield* jobIds).toEqual(["job_pending", "job_recent"])
      // An idle retention tick writes no line.
      expect(
        (yield* RenewalLogTest.RenewalLogEntries.pipe(Effect.flatMap((e) => e.stages("retention_completed")))).length
      ).toBe(1)
    }).pipe(
      Effect.provide(Layer.succeed(RetentionSettings, { ...defaultRetentionSettings, batchSize: 2 })),
      Effect.provide(programsEnv()),
      Effect.provide(NodeContext.layer)
    ))

  it.scoped("batches stop at the first short one: a full batch with nothing after costs one more empty statement", () =>
    Effect.gen(function*() {
      for (const n of [1, 2, 3, 4]) yield* finishedJob(`old_${n}`, "done", T0)
      yield* TestClock.setTime(NOW)
      const retention = yield* RetentionProgram.make
      const report = yield* retention.pruneNow
      expect(report).toMatchObject({ deleted_jobs: 4, batches: 3, jobs_finished_before: NOW - 30 * DAY_MS })
      expect(yield* jobIds).toEqual([])
      const sql = yield* SqlClient.SqlClient
      expect(yield* sql`SELECT COUNT(*) AS n FROM renewal_jobs`).toEqual([{ n: 0 }])
    }).pipe(
      Effect.provide(Layer.succeed(RetentionSettings, { ...defaultRetentionSettings, batchSize: 2 })),
      Effect.provide(programsEnv())
    ))
})
