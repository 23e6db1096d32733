import { Clock, Context, Effect, Layer, Ref } from "effect"
import { utcDay } from "../../src/layers/JsonlRenewalLog.js"
import { type LogEntry, RenewalLog } from "../../src/services/RenewalLog.js"

export interface LoggedEntry extends LogEntry {
  readonly ts: number
}

/** The lines the test log kept, in writing order. */
export class RenewalLogEntries extends Context.Tag("test/RenewalLogEntries")<
  RenewalLogEntries,
  {
    readonly all: Effect.Effect<ReadonlyArray<LoggedEntry>>
    readonly stages: (stage: string) => Effect.Effect<ReadonlyArray<LoggedEntry>>
    readonly clear: Effect.Effect<void>
  }
>() {}

export const DIRECTORY = "/test-state/logs/timed-jobs"

/** A RenewalLog kept in memory, with the same paths the JSONL log would use. */
export const layer: Layer.Layer<RenewalLog | RenewalLogEntries> = Layer.effectContext(
  Effect.gen(function*() {
    const entries = yield* Ref.make<ReadonlyArray<LoggedEntry>>([])
    const log = RenewalLog.of({
      write: (entry) =>
        Clock.currentTimeMillis.pipe(Effect.flatMap((ts) => Ref.update(entries, (all) => [...all, { ...entry, ts }]))),
      pathAt: (ts) => `${DIRECTORY}/${utcDay(ts)}.jsonl`,
      directory: DIRECTORY,
      removeBefore: () => Effect.succeed([])
    })
    return Context.make(RenewalLog, log).pipe(
      Context.add(RenewalLogEntries, {
        all: Ref.get(entries),
        stages: (stage) => Effect.map(Ref.get(entries), (all) => all.filter((e) => e.stage === stage)),
        clear: Ref.set(entries, [])
      })
    )
  })
)
