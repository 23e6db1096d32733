import { SqlClient } from "@effect/sql"
import { expect, layer } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { mkdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { utcDay } from "../../src/layers/JsonlRenewalLog.js"
import { forceJob } from "../support/jobRows.js"
import { makeTempDir } from "../support/tempStore.js"
import { get } from "./client.js"
import * as Harness from "./harness.js"
import * as Seed from "./seed.js"

const DAY = 86_400_000
const line = (ts: number, stage: string, result: string, details?: Record<string, unknown>) =>
  JSON.stringify({
    ts,
    runner: "renewal.dispatcher",
    batch_id: "batch_1",
    stage,
    result,
    ...(details ? { details } : {})
  })

layer(Harness.layer, { excludeTestServices: true })("GET /v1/renewal/jobs/:job_id/log", (it) => {
  it.scoped("answers the lines naming the job, oldest first, from its log_path and the day it was created", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation({ status: "auto" })
      const job = yield* Seed.job(conversation.local_conversation_id, { status: "done" })
      const other = yield* Seed.job(conversation.local_conversation_id)
      const now = yield* Clock.currentTimeMillis
      const directory = join(yield* makeTempDir, "logs", "timed-jobs")
      mkdirSync(directory, { recursive: true })
      const today = join(directory, `${utcDay(now)}.jsonl`)
      // Created yesterday, attempted today: job_created sits in yesterday's file.
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE renewal_jobs SET created_at = ${now - DAY} WHERE job_id = ${job.job_id}`.pipe(Effect.orDie)
      yield* forceJob(job.job_id, { log_path: today })
      const ids = { job_id: job.job_id, local_conversation_id: conversation.local_conversation_id }
      writeFileSync(
        join(directory, `${utcDay(now - DAY)}.jsonl`),
        line(now - DAY, "job_created", "created", ids) + "\n"
      )
      writeFileSync(
        today,
        [
          line(now - 10, "tick_started", "started"),
          line(now - 5, "job_completed", "attempt_succeeded", { ...ids, attempt_count: 1 }),
          `{"broken": "job_id":"${job.job_id}"`,
          line(now - 8, "job_attempt_started", "attempt_started", ids),
          line(now - 7, "job_attempt_started", "attempt_started", { job_id: other.job_id })
        ].join("\n") + "\n"
      )

      const reply = yield* get(`/v1/renewal/jobs/${job.job_id}/log`)
      expect(reply.status).toBe(200)
      expect(reply.body.data).toMatchObject({ job_id: job.job_id, log_path: today, total: 3 })
      expect(reply.body.data.lines.map((l: { stage: string }) => l.stage)).toEqual([
        "job_created",
        "job_attempt_started",
        "job_completed"
      ])
      expect(reply.body.data.lines[2]).toEqual({
        ts: now - 5,
        runner: "renewal.dispatcher",
        batch_id: "batch_1",
        stage: "job_completed",
        result: "attempt_succeeded",
        details: { ...ids, attempt_count: 1 }
      })
    }))

  it.effect("a job never attempted has no log file and no lines; a missing file reads as none", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation()
      const pending = yield* Seed.job(conversation.local_conversation_id)
      expect((yield* get(`/v1/renewal/jobs/${pending.job_id}/log`)).body.data).toEqual({
        job_id: pending.job_id,
        log_path: null,
        total: 0,
        lines: []
      })
      yield* forceJob(pending.job_id, { log_path: "/nowhere/logs/timed-jobs/2026-01-01.jsonl" })
      expect((yield* get(`/v1/renewal/jobs/${pending.job_id}/log`)).body.data.lines).toEqual([])
    }))

  it.effect("404 for an unknown job, 401 without the token", () =>
    Effect.gen(function*() {
      const missing = yield* get("/v1/renewal/jobs/job_missing/log")
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({
        error: "not_found",
        details: { resource: "renewal_job", resource_id: "job_missing" }
      })
      expect((yield* get("/v1/renewal/jobs/job_missing/log", { token: null })).status).toBe(401)
    }))
})
