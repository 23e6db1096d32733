import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, Schedule, TestClock, TestServices } from "effect"
import * as JsonlRenewalLog from "../../src/layers/JsonlRenewalLog.js"
import { RenewalLog } from "../../src/services/RenewalLog.js"
import { makeTempDir } from "../support/tempStore.js"
import { T0 } from "./fixtures.js"

const openLog = (stateDir: string) =>
  Effect.map(Layer.build(JsonlRenewalLog.layer(stateDir)), (ctx) => Context.get(ctx, RenewalLog))

/** The lines of `file` (none when it does not exist). */
const linesOf = (file: string) =>
  Effect.flatMap(FileSystem.FileSystem, (fs) =>
    fs.exists(file).pipe(
      Effect.flatMap((exists) => (exists ? fs.readFileString(file) : Effect.succeed(""))),
      Effect.map((text) => text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line)))
    )).pipe(Effect.orDie)

/** The flush writes on its own fiber; wait (in real time, briefly) until the file shows `count` lines. */
const settled = (file: string, count: number) =>
  linesOf(file).pipe(
    Effect.filterOrFail((lines) => lines.length >= count),
    Effect.retry(Schedule.spaced("5 millis").pipe(Schedule.intersect(Schedule.recurs(400)))),
    TestServices.provideLive,
    Effect.orDie
  )

describe("JSONL timed-jobs log", () => {
  it.scoped("appends one object a line to <state_dir>/logs/timed-jobs/<UTC date>.jsonl", () =>
    Effect.gen(function*() {
      const path = yield* Path.Path
      const stateDir = yield* makeTempDir
      yield* TestClock.setTime(Date.UTC(2026, 2, 30, 23, 59, 59, 998))
      const log = yield* openLog(stateDir)
      // The flusher's first (empty) pass is behind it, so it sleeps on the test clock from here.
      yield* TestClock.adjust("1 millis")
      const directory = path.join(stateDir, "logs", "timed-jobs")
      expect(log.directory).toBe(directory)

      yield* log.write({
        runner: "renewal.dispatcher",
        batch_id: "batch_1",
        stage: "scan_window",
        result: "ok",
        details: { limit: 10 }
      })
      yield* log.write({
        runner: "renewal.dispatcher",
        batch_id: "batch_1",
        stage: "scan_completed",
        result: "idle",
        details: {}
      })
      yield* TestClock.adjust("1 millis")
      yield* log.write({ runner: "renewal.projector", batch_id: "batch_2", stage: "scan_completed", result: "idle" })
      yield* TestClock.adjust(JsonlRenewalLog.FLUSH_EVERY)

      expect(yield* settled(path.join(directory, "2026-03-30.jsonl"), 2)).toEqual([
        {
          ts: T0 + 43_199_999,
          runner: "renewal.dispatcher",
          batch_id: "batch_1",
          stage: "scan_window",
          result: "ok",
          details: { limit: 10 }
        },
        {
          ts: T0 + 43_199_999,
          runner: "renewal.dispatcher",
          batch_id: "batch_1",
          stage: "scan_completed",
          result: "idle"
        }
      ])
      expect(yield* settled(log.pathAt(T0 + 43_200_000), 1)).toEqual([
        {
          ts: T0 + 43_200_000,
          runner: "renewal.projector",
          batch_id: "batch_2",
          stage: "scan_completed",
          result: "idle"
        }
      ])
      expect(log.pathAt(T0)).toBe(path.join(directory, "2026-03-30.jsonl"))
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("buffers lines and writes them within 100 ms, in order, without the caller waiting on the disk", () =>
    Effect.gen(function*() {
      const stateDir = yield* makeTempDir
      yield* TestClock.setTime(T0)
      const log = yield* openLog(stateDir)
      yield* TestClock.adjust("1 millis") // the flusher's first pass is behind it
      yield* Effect.forEach(
        Array.from({ length: 500 }, (_, i) => i),
        (i) => log.write({ runner: "r", batch_id: `b${i}`, stage: "s", result: "ok" }),
        { discard: true }
      )
      // Nothing is written before the flush is due.
      yield* TestServices.provideLive(Effect.sleep("20 millis"))
      expect(yield* linesOf(log.pathAt(T0))).toEqual([])
      yield* TestClock.adjust(JsonlRenewalLog.FLUSH_EVERY)
      const lines = yield* settled(log.pathAt(T0), 500)
      expect(lines.map((line) => line.batch_id)).toEqual(Array.from({ length: 500 }, (_, i) => `b${i}`))
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("loses nothing when it is closed before a flush was due", () =>
    Effect.gen(function*() {
      const stateDir = yield* makeTempDir
      yield* TestClock.setTime(T0)
      const pathAt = yield* Effect.scoped(
        Effect.gen(function*() {
          const log = yield* openLog(stateDir)
          yield* log.write({ runner: "r", batch_id: "b1", stage: "s", result: "ok" })
          yield* log.write({ runner: "r", batch_id: "b2", stage: "s", result: "ok" })
          return log.pathAt
        })
      )
      // Closing waited for the write: no clock moved, no waiting here.
      expect((yield* linesOf(pathAt(T0))).map((line) => line.batch_id)).toEqual(["b1", "b2"])
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("reopens the file when it was removed while the daemon runs", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const stateDir = yield* makeTempDir
      yield* TestClock.setTime(T0)
      const log = yield* openLog(stateDir)
      yield* log.write({ runner: "r", batch_id: "b1", stage: "job_created", result: "created" })
      yield* TestClock.adjust(JsonlRenewalLog.FLUSH_EVERY)
      yield* settled(log.pathAt(T0), 1)
      yield* fs.remove(log.directory, { recursive: true })
      yield* TestClock.adjust("1000 millis")
      yield* log.write({ runner: "r", batch_id: "b2", stage: "job_created", result: "created" })
      yield* TestClock.adjust(JsonlRenewalLog.FLUSH_EVERY)
      expect((yield* settled(log.pathAt(T0), 1)).map((l) => l.batch_id)).toEqual(["b2"])
    }).pipe(Effect.provide(NodeContext.layer)))
})
