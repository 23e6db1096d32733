import { Cause, Clock, Effect, Metric, Ref, type Scope } from "effect"
import { newBatchId } from "../../domain/index.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import { Events } from "../../services/Events.js"
import * as Metrics from "../../services/Metrics.js"
import { RenewalLog } from "../../services/RenewalLog.js"
import {
  type TickContext,
  type TickOutcome,
  type TickRecord,
  type TimedJobsService,
  type Trigger,
  UnknownRunner
} from "../../services/TimedJobs.js"
import { Wakeups } from "../../services/Wakeups.js"
import { outcome, type Runner } from "./Runner.js"

interface Registered {
  readonly runner: Runner<unknown>
  /** Its tick-duration histogram, tagged once: a tagged metric built per tick is a registry lookup each time. */
  readonly tickDuration: typeof Metrics.tickDuration
  /** Scheduled, woken and manual ticks of one runner take turns: ticks never overlap. */
  readonly turn: Effect.Semaphore
  readonly lastTick: Ref.Ref<TickRecord | null>
}

/**
 * Starts one fiber per runner in the current scope and returns the operator's view of them.
 * Each fiber ticks every `interval_ms`, or at once when the runner is woken; closing the scope
 * interrupts the fibers and leaves no timer behind.
 */
export const make = (
  runners: ReadonlyArray<Runner<unknown>>
): Effect.Effect<TimedJobsService, never, Scope.Scope | ConductorConfig | RenewalLog | Wakeups> =>
  Effect.gen(function*() {
    const config = yield* ConductorConfig
    const log = yield* RenewalLog
    const wakeups = yield* Wakeups
    const events = yield* Events
    const { renewal, node } = config

    const registered = new Map<string, Registered>()
    for (const runner of runners) {
      registered.set(runner.name, {
        runner,
        tickDuration: Metric.tagged(Metrics.tickDuration, "runner", runner.name),
        turn: yield* Effect.makeSemaphore(1),
        lastTick: yield* Ref.make<TickRecord | null>(null)
      })
    }

    const intervalOf = (entry: Registered) => entry.runner.intervalMs ?? renewal.intervalMs

    const contextFor = (trigger: Trigger): Effect.Effect<TickContext> =>
      Effect.map(newBatchId, (batch_id) => ({
        batch_id,
        trigger,
        interval_ms: renewal.intervalMs,
        max_messages_per_tick: renewal.maxMessagesPerTick,
        max_tasks_per_tick: renewal.maxTasksPerTick,
        settle_delay_ms: renewal.settleDelayMs,
        log_dir: log.directory,
        node_id: node.nodeId,
        role: node.role
      }))

    const work = ({ runner }: Registered, context: TickContext): Effect.Effect<TickOutcome> =>
      context.role === "standby"
        ? Effect.succeed(outcome("standby"))
        : runner.tick(context).pipe(
          Effect.catchAllCause((cause) =>
            Effect.gen(function*() {
              yield* Effect.logError("TimedJobs.tick failed", cause)
              const error = Cause.pretty(cause).split("\n")[0] ?? "unknown"
              yield* log.write({
                runner: runner.name,
                batch_id: context.batch_id,
                stage: "tick_failed",
                result: "error",
                details: { trigger: context.trigger, error }
              })
              return outcome("error", { error })
            })
          )
        )

    const runTick = (entry: Registered, trigger: Trigger): Effect.Effect<TickRecord> =>
      Effect.gen(function*() {
        // Wake-ups signalled until now are this tick's to serve (e.g. a reply's job committed and
        // the previous delivery finished, both before the dispatcher ran): not one more tick each.
        yield* wakeups.clear(entry.runner.name)
        const context = yield* contextFor(trigger)
        const started_at = yield* Clock.currentTimeMillis
        const result = yield* work(entry, context).pipe(
          Metric.trackDuration(entry.tickDuration)
        )
        const finished_at = yield* Clock.currentTimeMillis
        const record: TickRecord = { ...result, batch_id: context.batch_id, trigger, started_at, finished_at }
        yield* Ref.set(entry.lastTick, record)
        yield* events.publish({ type: "runner.tick", runner: entry.runner.name, tick: record })
        return record
      }).pipe(
        entry.turn.withPermits(1),
        Effect.annotateLogs({ runner: entry.runner.name, trigger }),
        // No stack trace: taken on every tick, whether or not a tracer reads the span.
        Effect.withSpan("TimedJobs.tick", {
          attributes: { runner: entry.runner.name, trigger },
          captureStackTrace: false
        })
      )

    /**
     * One runner's ticks: it waits on its wake-up queue alone, and the interval is a timer fiber
     * of its own that wakes it with `schedule` once `interval_ms` has passed since the last tick
     * ended. A tick pushes the timer's deadline on instead of racing a fresh sleep against every
     * wait: the race forked three fibers and a timer per tick, most of a woken tick's cost.
     */
    const loop = (entry: Registered) =>
      Effect.gen(function*() {
        const interval = intervalOf(entry)
        const name = entry.runner.name
        // When the next scheduled tick is due; none while a tick runs (the interval starts at its end).
        let deadline = (yield* Clock.currentTimeMillis) + interval
        let scheduled = false
        const rearmed = yield* Effect.makeLatch(true)

        const timer = Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          if (deadline === Infinity) return yield* rearmed.await
          if (now < deadline) return yield* Effect.sleep(deadline - now)
          deadline = Infinity
          scheduled = true
          yield* rearmed.close
          yield* wakeups.wake(name)
        }).pipe(Effect.forever)
        yield* Effect.forkScoped(timer)

        return yield* Effect.gen(function*() {
          yield* wakeups.take(name)
          const trigger: Trigger = scheduled ? "schedule" : "wake"
          scheduled = false
          deadline = Infinity
          yield* rearmed.close
          yield* runTick(entry, trigger)
          deadline = (yield* Clock.currentTimeMillis) + interval
          yield* rearmed.open
        }).pipe(Effect.forever)
      })

    const entries = Array.from(registered.values())
    yield* Effect.forEach(entries, (entry) => Effect.forkScoped(Effect.scoped(loop(entry))), { discard: true })

    return {
      runners: Effect.forEach(entries, (entry) =>
        Effect.map(Ref.get(entry.lastTick), (last_tick) => ({
          name: entry.runner.name,
          interval_ms: intervalOf(entry),
          last_tick
        }))),
      runNow: (name) => {
        const entry = registered.get(name)
        return entry === undefined ? Effect.fail(new UnknownRunner({ name })) : runTick(entry, "manual")
      }
    }
  })
