import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Clock, Duration, Effect, Layer, Ref, Schedule, ScopedRef } from "effect"
import { type LogEntry, RenewalLog } from "../services/RenewalLog.js"
import * as IdleTicks from "./idleTicks.js"
import { removeDaysBefore } from "./logRetention.js"

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

const DAY_MS = 86_400_000

/** `of` for a timestamp, computed once per UTC day: every log line asks for its file's path. */
const dayCache = (of: (ts: number) => string) => {
  let day = Number.NaN
  let value = ""
  return (ts: number): string => {
    const d = Math.floor(ts / DAY_MS)
    if (d !== day) {
      value = of(ts)
      day = d
    }
    return value
  }
}

/** Buffered lines reach their file at least this often, and when the log is closed. */
export const FLUSH_EVERY = Duration.millis(100)

/** How often the open file is checked for removal by hand: a stat per batch would cost more than the batch. */
const RECHECK_MS = 1000

interface Line {
  readonly path: string
  readonly text: string
}

interface OpenDay {
  readonly path: string
  readonly file: FileSystem.File
}

/** Consecutive lines for the same file, in order, joined into one write each. */
const byFile = (lines: ReadonlyArray<Line>): ReadonlyArray<Line> => {
  const groups: Array<{ path: string; texts: Array<string> }> = []
  for (const line of lines) {
    const last = groups.at(-1)
    if (last?.path === line.path) last.texts.push(line.text)
    else groups.push({ path: line.path, texts: [line.text] })
  }
  return groups.map(({ path, texts }) => ({ path, text: texts.join("") }))
}

/**
 * The timed-jobs log under `<stateDir>/logs/timed-jobs/`. A line is stamped and buffered at
 * once (no lock, no I/O on the caller's path); one fiber writes the buffer in batches every
 * `FLUSH_EVERY`, and closing the log writes what is left. The day's file stays open in append
 * mode, is swapped at the UTC day boundary, and is reopened within a second when removed by
 * hand. A failed write is reported and never fails a tick. Idle ticks are mostly left out
 * (`idleTicks.ts`).
 */
export const make = (stateDir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const directory = path.join(stateDir, "logs", "timed-jobs")
    yield* fs.makeDirectory(directory, { recursive: true })
    const pathAt = dayCache((ts) => path.join(directory, `${utcDay(ts)}.jsonl`))
    const encoder = new TextEncoder()
    // Lines waiting for the next flush. A plain array, appended to in one synchronous step:
    // every job writes two lines, and a `Ref` of a `Chunk` cost more than the line itself.
    let buffer: Array<Line> = []
    const day = yield* ScopedRef.make((): OpenDay | null => null)
    const checkedAt = yield* Ref.make(0)

    const stillThere = (target: string, now: number) =>
      Effect.flatMap(Ref.get(checkedAt), (at) =>
        now - at < RECHECK_MS ? Effect.succeed(true) : Effect.zipLeft(fs.exists(target), Ref.set(checkedAt, now)))

    const fileFor = (target: string, now: number) =>
      Effect.gen(function*() {
        const open = yield* ScopedRef.get(day)
        if (open?.path === target && (yield* stillThere(target, now))) {
          return open.file
        }
        // The directory may have been removed while running (logs cleaned up by hand).
        yield* ScopedRef.set(
          day,
          Effect.zipRight(fs.makeDirectory(directory, { recursive: true }), fs.open(target, { flag: "a" })).pipe(
            Effect.map((file): OpenDay => ({ path: target, file }))
          )
        )
        yield* Ref.set(checkedAt, now)
        return (yield* ScopedRef.get(day))!.file
      })

    const flush = Effect.fn("RenewalLog.flush")(function*() {
      const lines = buffer
      buffer = []
      if (lines.length === 0) {
        return
      }
      const now = yield* Clock.currentTimeMillis
      for (const batch of byFile(lines)) {
        yield* fileFor(batch.path, now).pipe(
          Effect.flatMap((file) =>
            file.writeAll(encoder.encode(batch.text))
          ),
          // A handle gone bad (file deleted, disk full) is dropped so the next batch reopens.
          Effect.catchAll((error) =>
            ScopedRef.set(day, Effect.succeed(null)).pipe(
              Effect.zipRight(Effect.logWarning("RenewalLog.write failed", error))
            )
          )
        )
      }
    }, Effect.uninterruptible)

    // Finalizers run in reverse: the flusher stops, the rest is written, then the file closes.
    yield* Effect.addFinalizer(() => flush())
    yield* flush().pipe(Effect.repeat(Schedule.spaced(FLUSH_EVERY)), Effect.forkScoped)

    const quiet = IdleTicks.make<Line>()
    const write = (entry: LogEntry) =>
      Effect.clockWith((clock) =>
        Effect.sync(() => {
          const ts = clock.unsafeCurrentTimeMillis()
          for (const line of quiet(ts, entry, { path: pathAt(ts), text: formatLine(ts, entry) })) buffer.push(line)
        })
      )

    const removeBefore = (ts: number) =>
      removeDaysBefore(directory, utcDay(ts)).pipe(Effect.provideService(FileSystem.FileSystem, fs))

    return RenewalLog.of({ write, pathAt, directory, removeBefore })
  })

export const layer = (stateDir: string): Layer.Layer<RenewalLog, never, FileSystem.FileSystem | Path.Path> =>
  Layer.scoped(RenewalLog, Effect.orDie(make(stateDir)))
