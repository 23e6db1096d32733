import { FileSystem, Path } from "@effect/platform"
import { Clock, Effect, Exit, Layer, Scope } from "effect"
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

interface OpenDay {
  readonly path: string
  readonly file: FileSystem.File
  readonly scope: Scope.CloseableScope
  /** When the file was last seen on disk. */
  checkedAt: number
}

/** How often the open file is checked for removal by hand: a stat per line would double a line's cost. */
const RECHECK_MS = 1000

/**
 * The timed-jobs log under `<stateDir>/logs/timed-jobs/`. The day's file stays open in append
 * mode (a tick writes several lines; reopening per line costs more than the line), is swapped
 * at the UTC day boundary, and is reopened within a second when removed by hand. Appends are serialized so lines never interleave; a failed
 * write is reported and never fails a tick.
 */
export const make = (stateDir: string) =>
  Effect.gen(function* () {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const directory = path.join(stateDir, "logs", "timed-jobs")
    yield* fs.makeDirectory(directory, { recursive: true })
    const lock = yield* Effect.makeSemaphore(1)
    const pathAt = (ts: number) => path.join(directory, `${utcDay(ts)}.jsonl`)
    const encoder = new TextEncoder()
    let current: OpenDay | null = null

    const close = Effect.suspend(() => {
      const open = current
      current = null
      return open === null ? Effect.void : Scope.close(open.scope, Exit.void)
    })

    const stillThere = (open: OpenDay, now: number) =>
      now - open.checkedAt < RECHECK_MS
        ? Effect.succeed(true)
        : fs.exists(open.path).pipe(Effect.tap(() => Effect.sync(() => (open.checkedAt = now))))

    const fileFor = (target: string, now: number) =>
      Effect.gen(function* () {
        if (current?.path === target && (yield* stillThere(current, now))) return current.file
        yield* close
        // The directory may have been removed while running (logs cleaned up by hand).
        yield* fs.makeDirectory(directory, { recursive: true })
        const scope = yield* Scope.make()
        const file = yield* fs.open(target, { flag: "a" }).pipe(
          Scope.extend(scope),
          Effect.tapError(() => Scope.close(scope, Exit.void))
        )
        current = { path: target, file, scope, checkedAt: now }
        return file
      })

    yield* Effect.addFinalizer(() => lock.withPermits(1)(close))

    const write = (entry: LogEntry) =>
      Clock.currentTimeMillis.pipe(
        Effect.flatMap((ts) =>
          fileFor(pathAt(ts), ts).pipe(
            Effect.flatMap((file) => file.writeAll(encoder.encode(formatLine(ts, entry)))),
            // A handle gone bad (file deleted, disk full) is dropped so the next line reopens.
            Effect.tapError(() => close)
          )
        ),
        lock.withPermits(1),
        Effect.catchAll((error) => Effect.logWarning("RenewalLog.write failed", error)),
        Effect.withSpan("RenewalLog.write", { attributes: { stage: entry.stage } })
      )

    return RenewalLog.of({ write, pathAt, directory })
  })

export const layer = (stateDir: string): Layer.Layer<RenewalLog, never, FileSystem.FileSystem | Path.Path> =>
  Layer.scoped(RenewalLog, Effect.orDie(make(stateDir)))
