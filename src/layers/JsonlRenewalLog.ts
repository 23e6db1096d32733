import { FileSystem, Path } from "@effect/platform"
import { Clock, Effect, Layer } from "effect"
import { RenewalLog, type LogEntry } from "../services/RenewalLog.js"

/** `YYYY-MM-DD` of a timestamp, in UTC, so the file a line lands in never depends on the host's zone. */
export const utcDay = (ts: number): string => new Date(ts).toISOString().slice(0, 10)

/** One JSON object a line: `ts` first, `details` only when there are any. */
export const formatLine = (ts: number, entry: LogEntry): string =>
  JSON.stringify({
    ts,
    runner: entry.runner,
    batch_id: entry.batch_id,
    stage: entry.stage,
    result: entry.result,
    ...(entry.details !== undefined && Object.keys(entry.details).length > 0 ? { details: entry.details } : {})
  }) + "\n"

/**
 * The timed-jobs log under `<stateDir>/logs/timed-jobs/`. Appends are serialized so lines of
 * concurrent deliveries never interleave; a failed write is reported and never fails a tick.
 */
export const make = (stateDir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const directory = path.join(stateDir, "logs", "timed-jobs")
    yield* fs.makeDirectory(directory, { recursive: true })
    const lock = yield* Effect.makeSemaphore(1)
    const pathAt = (ts: number) => path.join(directory, `${utcDay(ts)}.jsonl`)

    const write = (entry: LogEntry) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((ts) => {
          const append = fs.writeFileString(pathAt(ts), formatLine(ts, entry), { flag: "a" })
          // The directory may have been removed while running (logs cleaned up by hand).
          return append.pipe(
            Effect.catchAll(() => fs.makeDirectory(directory, { recursive: true }).pipe(Effect.zipRight(append)))
          )
        }),
        lock.withPermits(1),
        Effect.catchAll((error) => Effect.logWarning("RenewalLog.write failed", error)),
        Effect.withSpan("RenewalLog.write", { attributes: { stage: entry.stage } })
      )

    return RenewalLog.of({ write, pathAt, directory })
  })

export const layer = (stateDir: string): Layer.Layer<RenewalLog, never, FileSystem.FileSystem | Path.Path> =>
  Layer.effect(RenewalLog, Effect.orDie(make(stateDir)))
