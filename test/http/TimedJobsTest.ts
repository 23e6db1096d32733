import { Clock, Effect, Layer, Ref } from "effect"
import { BatchId } from "../../src/domain/index.js"
import { type RunnerStatus, type TickRecord, TimedJobs, UnknownRunner } from "../../src/services/TimedJobs.js"

export const RUNNERS = ["renewal.projector", "renewal.dispatcher"] as const
/** Running this one dies, as a bug would: the API must answer 500 and reveal nothing. */
export const DIES = "test.dies"

/**
 * Two runners that never tick on their own: `runNow` records a manual tick with `result: "ok"`,
 * so the API's view of the scheduler can be checked without the programs touching the store.
 */
export const layer: Layer.Layer<TimedJobs> = Layer.effect(
  TimedJobs,
  Effect.gen(function*() {
    const last = yield* Ref.make(new Map<string, TickRecord>())
    const runners = Effect.map(
      Ref.get(last),
      (ticks): ReadonlyArray<RunnerStatus> =>
        RUNNERS.map((name) => ({ name, interval_ms: 5000, last_tick: ticks.get(name) ?? null }))
    )
    const runNow = (name: string) =>
      Effect.gen(function*() {
        if (name === DIES) return yield* Effect.dieMessage("secret internal detail")
        if (!(RUNNERS as ReadonlyArray<string>).includes(name)) return yield* new UnknownRunner({ name })
        const now = yield* Clock.currentTimeMillis
        const tick: TickRecord = {
          batch_id: BatchId.make(`batch_test_${now}`),
          trigger: "manual",
          started_at: now,
          finished_at: now,
          result: "ok",
          details: { runner: name }
        }
        yield* Ref.update(last, (ticks) => new Map(ticks).set(name, tick))
        return tick
      })
    return TimedJobs.of({ runners, runNow })
  })
)
