import { Clock, Effect, Fiber } from "effect"
import { type BatchId, newBatchId, type SystemAutomation } from "../../domain/index.js"
import { ArtifactStore, type ClaimedAttempt, type JobClaim } from "../../services/ArtifactStore.js"
import { BrowserBridge } from "../../services/BrowserBridge.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import { DeliveryPolicy } from "../../services/DeliveryPolicy.js"
import { RenewalLog } from "../../services/RenewalLog.js"
import type { TickContext } from "../../services/TimedJobs.js"
import { DISPATCHER, Wakeups } from "../../services/Wakeups.js"
import { outcome, type Runner } from "../timedJobs/Runner.js"
import * as AfterDelivery from "./afterDelivery.js"
import { type AttemptDeps, processJob } from "./attempt.js"
import * as InFlight from "./InFlight.js"
import type { DeliveryResult } from "./InFlight.js"
import { jobLine, tickLine } from "./logLines.js"
import { recoverStale } from "./recovery.js"

const count = (results: ReadonlyArray<DeliveryResult>, kind: DeliveryResult) => results.filter((r) => r === kind).length

/**
 * The `renewal.dispatcher` runner: recovers stale work, claims due jobs and launches each
 * delivery as its own fiber, up to `maxInFlight` at once, without waiting for them: the next
 * tick can claim while deliveries are out. The store's claim never hands out a job of a
 * conversation with one running. A finished delivery wakes the dispatcher when a due job may be
 * waiting for its slot or its conversation (`afterDelivery.ts`), and a retry or deferral sets a
 * timer to when it is due, so the interval is only a safety net. A manual tick also waits for
 * what it launched and reports their outcomes. The delivery policy (pacing, circuit breaker) is
 * consulted right before each delivery.
 */
export const make = Effect.gen(function*() {
  const config = yield* ConductorConfig
  const wakeups = yield* Wakeups
  const deps: AttemptDeps = {
    store: yield* ArtifactStore,
    log: yield* RenewalLog,
    bridge: yield* BrowserBridge,
    policy: yield* DeliveryPolicy,
    settings: config.renewal,
    node: config.node,
    wakeAt: (at) => wakeups.wakeAt(DISPATCHER, at)
  }
  const { store, log } = deps
  const inFlight = yield* InFlight.make(config.renewal.maxInFlight, config.renewal.executionTimeoutMs)
  const afterDelivery = yield* AfterDelivery.make(store, wakeups.wake(DISPATCHER))

  const deliver = (batch_id: BatchId, system: SystemAutomation, claim: JobClaim, attempt: ClaimedAttempt) =>
    processJob(deps, batch_id, system, claim, attempt).pipe(
      // A defect in one job must not touch the other deliveries; this job stays `running`
      // and comes back through stale recovery.
      Effect.catchAllCause((cause) =>
        Effect.logError("Dispatcher.processJob died", cause).pipe(
          Effect.zipRight(log.write(jobLine(batch_id, "job_errored", "defect", attempt.job))),
          Effect.as<DeliveryResult>("errored")
        )
      ),
      Effect.ensuring(afterDelivery.finished)
    )

  // Untraced: the scheduler's `TimedJobs.tick` span covers it, and a named `Effect.fn` costs
  // about 10 µs a call with no tracer installed.
  const tick = Effect.fnUntraced(function*(context: TickContext) {
    // Woken ticks follow finished deliveries: let the ones already finishing free their slots
    // first, so one tick claims for many of them. Stale work cannot appear between scheduled
    // ticks faster than the interval, so only scheduled and manual ticks (and start-up) recover.
    const woken = context.trigger === "wake"
    if (woken) yield* Effect.yieldNow()
    const recovered_jobs = woken ? 0 : yield* recoverStale(deps, context.batch_id)
    const system = yield* store.systemAutomation
    const now = yield* Clock.currentTimeMillis
    const capacity = yield* inFlight.capacity
    const limit = Math.min(context.max_tasks_per_tick, capacity)
    const in_flight = config.renewal.maxInFlight - capacity
    yield* log.write(
      tickLine(context.batch_id, "scan_window", "ok", { due_before: now, limit, recovered_jobs, system, in_flight })
    )

    const claim = { node_id: config.node.nodeId, run_id: config.node.runId, claimed_at: now }
    // With every slot taken there is nothing to claim: no transaction either.
    const claimed = limit === 0 ? [] : yield* store.claimAttempts({
      now,
      limit,
      node_id: claim.node_id,
      run_id: claim.run_id,
      log_path: log.pathAt(now)
    })
    yield* afterDelivery.claimed(claimed.length, limit)
    const fibers = yield* Effect.forEach(
      claimed,
      (attempt) => inFlight.launch(deliver(context.batch_id, system, claim, attempt))
    )
    // The deliveries go out before the rest of this tick (its log line, next-due query, record).
    if (claimed.length > 0) yield* Effect.yieldNow()
    // An operator's run reports what became of its jobs; a scheduled one does not wait.
    const results = context.trigger === "manual" ? yield* Fiber.joinAll(fibers) : []
    const details = {
      due_jobs: claimed.length,
      launched_jobs: claimed.length,
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
    // A full batch with slots to spare means more may be due: claim again at once instead of
    // after an interval; that tick looks for the next due time. With every slot taken, the next
    // delivery to finish wakes the dispatcher (`afterDelivery`), whose tick does the same: waking
    // now would only run a tick with nothing to claim. Otherwise jobs due later (retries,
    // deferrals) get a timer; due ones wait for a slot or their conversation.
    const slotsLeft = capacity - claimed.length
    if (slotsLeft === 0) return outcome(result, details)
    if (limit > 0 && claimed.length === limit) yield* wakeups.wake(DISPATCHER)
    else yield* Effect.flatMap(store.nextDueAfter(now), (at) => (at === null ? Effect.void : deps.wakeAt(at)))
    return outcome(result, details)
  })

  /** At start-up, before any tick: jobs an earlier run of this node left `running` go back at once. */
  const recoverAtStartup = Effect.gen(function*() {
    const batch_id = yield* newBatchId
    const recovered_jobs = yield* recoverStale(deps, batch_id)
    yield* log.write(tickLine(batch_id, "startup_recovery", recovered_jobs === 0 ? "idle" : "ok", { recovered_jobs }))
    if (recovered_jobs > 0) {
      yield* Effect.logInfo("Dispatcher.recoverAtStartup").pipe(Effect.annotateLogs({ recovered_jobs }))
    }
    return recovered_jobs
  })

  const runner: Runner<never> = { name: DISPATCHER, tick }
  return { runner, recoverAtStartup, inFlight }
})
