import { Clock, Effect, Layer, Metric } from "effect"
import { type BatchId, newBatchId } from "../../domain/index.js"
import { JobHousekeeping } from "../../services/JobHousekeeping.js"
import * as Metrics from "../../services/Metrics.js"
import { RenewalLog } from "../../services/RenewalLog.js"
import { DAY_MS, type PruneReport, RETENTION, Retention, RetentionSettings } from "../../services/Retention.js"
import type { TickContext, Trigger } from "../../services/TimedJobs.js"
import { outcome, type Runner } from "../timedJobs/Runner.js"
import { type BatchRule, firstBatch, nextBatch, rest, restAfter } from "./batching.js"

const elapsedMs = (since: bigint) => Effect.map(Clock.currentTimeNanos, (now) => Number(now - since) / 1e6)

/**
 * The `renewal.retention` runner and the operator's prune: deletes `done`/`failed` jobs older
 * than `--job-retention-days` in short, paced batches (one transaction each, see batching.ts), and timed-jobs
 * log files older than `--log-retention-days`. It writes a log line only when it removed
 * something, or when asked by hand.
 */
export const make = Effect.gen(function*() {
  const housekeeping = yield* JobHousekeeping
  const log = yield* RenewalLog
  const settings = yield* RetentionSettings

  const rule: BatchRule = { max: settings.batchSize, budgetMs: settings.batchBudgetMs, share: settings.pruneShare }
  const pruneJobs = (before: number) =>
    Effect.gen(function*() {
      let deleted = 0
      let batches = 0
      for (let limit = firstBatch(rule);;) {
        const start = yield* Clock.currentTimeNanos
        const n = yield* housekeeping.pruneFinished({ before, limit })
        const took = yield* elapsedMs(start)
        deleted += n
        batches += 1
        if (n < limit) return { deleted, batches }
        yield* rest(restAfter(rule, took))
        limit = nextBatch(rule, limit, took)
      }
    })

  const prune = Effect.fn("Retention.prune")(function*() {
    const now = yield* Clock.currentTimeMillis
    const jobs_finished_before = now - settings.jobRetentionDays * DAY_MS
    const logs_before = now - settings.logRetentionDays * DAY_MS
    const jobs = yield* pruneJobs(jobs_finished_before)
    const deleted_log_files = yield* log.removeBefore(logs_before)
    yield* Metric.update(Metric.tagged(Metrics.pruned, "kind", "jobs"), jobs.deleted)
    yield* Metric.update(Metric.tagged(Metrics.pruned, "kind", "log_files"), deleted_log_files.length)
    return { deleted_jobs: jobs.deleted, deleted_log_files, batches: jobs.batches, jobs_finished_before, logs_before }
  })

  const run = (batch_id: BatchId, trigger: Trigger) =>
    Effect.gen(function*() {
      const report: PruneReport = yield* prune()
      const result = report.deleted_jobs === 0 && report.deleted_log_files.length === 0 ? "idle" : "ok"
      const details = { ...report, deleted_log_files: report.deleted_log_files.length, trigger }
      if (result === "ok" || trigger === "manual") {
        yield* log.write({ runner: RETENTION, batch_id, stage: "retention_completed", result, details })
      }
      return { report, result, details }
    })

  const runner: Runner<never> = {
    name: RETENTION,
    intervalMs: settings.intervalMs,
    tick: (context: TickContext) =>
      Effect.map(run(context.batch_id, context.trigger), (r) => outcome(r.result, r.details))
  }
  const pruneNow = Effect.flatMap(newBatchId, (batch_id) => run(batch_id, "manual")).pipe(Effect.map((r) => r.report))
  return { runner, pruneNow }
})

/** Only the operator's prune, without the runner: for servers whose scheduler is elsewhere. */
export const layer = Layer.effect(
  Retention,
  Effect.map(make, (retention) => Retention.of({ pruneNow: retention.pruneNow }))
)
