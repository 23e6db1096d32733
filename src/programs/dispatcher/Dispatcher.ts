import { Clock, Effect } from "effect"
import { newBatchId } from "../../domain/index.js"
import { ArtifactStore } from "../../services/ArtifactStore.js"
import { BrowserBridge } from "../../services/BrowserBridge.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import { RenewalLog } from "../../services/RenewalLog.js"
import type { TickContext } from "../../services/TimedJobs.js"
import { DISPATCHER, Wakeups } from "../../services/Wakeups.js"
import { outcome, type Runner } from "../timedJobs/Runner.js"
import { processJob, type AttemptDeps, type JobResult } from "./attempt.js"
import { jobLine, tickLine } from "./logLines.js"
import { recoverStale } from "./recovery.js"

const count = (results: ReadonlyArray<JobResult | "errored">, kind: JobResult | "errored") => results.filter((r) => r === kind).length

/**
 * The `renewal.dispatcher` runner: recovers stale work, claims due jobs and sends each into its
 * conversation's tab. Jobs of different conversations go out concurrently; the store's claim
 * never hands out two jobs of one conversation.
 */
export const make = Effect.gen(function* () {
  const config = yield* ConductorConfig
  const deps: AttemptDeps = {
    store: yield* ArtifactStore,
    log: yield* RenewalLog,
    bridge: yield* BrowserBridge,
    settings: config.renewal,
    node: config.node
  }
  const { store, log } = deps
  const wakeups = yield* Wakeups

  const tick = Effect.fn("Dispatcher.tick")(function* (context: TickContext) {
    yield* Effect.annotateCurrentSpan({ batch_id: context.batch_id })
    const recovered_jobs = yield* recoverStale(deps, context.batch_id)
    const system = yield* store.systemAutomation
    const now = yield* Clock.currentTimeMillis
    const limit = context.max_tasks_per_tick
    yield* log.write(tickLine(context.batch_id, "scan_window", "ok", { due_before: now, limit, recovered_jobs, system }))

    const claim = { node_id: config.node.nodeId, run_id: config.node.runId, claimed_at: now }
    const claimed = yield* store.claimDueJobs({ now, limit, node_id: claim.node_id, run_id: claim.run_id })
    const results = yield* Effect.forEach(
      claimed,
      (job) =>
        processJob(deps, context.batch_id, system, claim, job).pipe(
          // A defect in one job must not cut the other deliveries short; this job stays
          // `running` and comes back through stale recovery.
          Effect.catchAllCause((cause) =>
            Effect.logError("Dispatcher.processJob died", cause).pipe(
              Effect.zipRight(log.write(jobLine(context.batch_id, "job_errored", "defect", job))),
              Effect.as<JobResult | "errored">("errored")
            )
          )
        ),
      { concurrency: "unbounded" }
    )
    const details = {
      due_jobs: claimed.length,
      successful_jobs: count(results, "succeeded"),
      retried_jobs: count(results, "retried"),
      failed_jobs: count(results, "failed"),
      skipped_jobs: count(results, "deferred"),
      errored_jobs: count(results, "errored"),
      superseded_jobs: count(results, "superseded"),
      recovered_jobs
    }
    const result = claimed.length === 0 && recovered_jobs === 0 ? "idle" : "ok"
    yield* log.write(tickLine(context.batch_id, "scan_completed", result, details))
    // A full batch means more may be due: claim again at once instead of after an interval.
    if (limit > 0 && claimed.length === limit) yield* wakeups.wake(DISPATCHER)
    return outcome(result, details)
  })

  /** At start-up, before any tick: jobs an earlier run of this node left `running` go back at once. */
  const recoverAtStartup = Effect.gen(function* () {
    const batch_id = yield* newBatchId
    const recovered_jobs = yield* recoverStale(deps, batch_id)
    yield* log.write(tickLine(batch_id, "startup_recovery", recovered_jobs === 0 ? "idle" : "ok", { recovered_jobs }))
    if (recovered_jobs > 0) yield* Effect.logInfo("Dispatcher.recoverAtStartup").pipe(Effect.annotateLogs({ recovered_jobs }))
    return recovered_jobs
  })

  const runner: Runner<never> = { name: DISPATCHER, tick }
  return { runner, recoverAtStartup }
})
