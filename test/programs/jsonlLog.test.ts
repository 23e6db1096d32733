import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, TestClock } from "effect"
import * as JsonlRenewalLog from "../../src/layers/JsonlRenewalLog.js"
import { RenewalLog } from "../../src/services/RenewalLog.js"
import { makeTempDir } from "../support/tempStore.js"
import { T0 } from "./fixtures.js"

describe("JSONL timed-jobs log", () => {
  it.scoped("appends one object a line to <state_dir>/logs/timed-jobs/<UTC date>.jsonl", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      const stateDir = yield* makeTempDir
      const log = Context.get(yield* Layer.build(JsonlRenewalLog.layer(stateDir)), RenewalLog)
      const directory = path.join(stateDir, "logs", "timed-jobs")
      expect(log.directory).toBe(directory)

      yield* TestClock.setTime(Date.UTC(2026, 2, 30, 23, 59, 59, 999))
      yield* log.write({ runner: "renewal.dispatcher", batch_id: "batch_1", stage: "scan_window", result: "ok", details: { limit: 10 } })
      yield* log.write({ runner: "renewal.dispatcher", batch_id: "batch_1", stage: "scan_completed", result: "idle", details: {} })
      yield* TestClock.adjust("1 millis")
      yield* log.write({ runner: "renewal.projector", batch_id: "batch_2", stage: "scan_completed", result: "idle" })

      const day1 = (yield* fs.readFileString(path.join(directory, "2026-03-30.jsonl"))).trimEnd().split("\n")
      expect(day1.map((line) => JSON.parse(line))).toEqual([
        { ts: T0 + 43_199_999, runner: "renewal.dispatcher", batch_id: "batch_1", stage: "scan_window", result: "ok", details: { limit: 10 } },
        { ts: T0 + 43_199_999, runner: "renewal.dispatcher", batch_id: "batch_1", stage: "scan_completed", result: "idle" }
      ])
      const day2 = (yield* fs.readFileString(log.pathAt(T0 + 43_200_000))).trim()
      expect(JSON.parse(day2)).toEqual({
        ts: T0 + 43_200_000,
        runner: "renewal.projector",
        batch_id: "batch_2",
        stage: "scan_completed",
        result: "idle"
      })
      expect(log.pathAt(T0)).toBe(path.join(directory, "2026-03-30.jsonl"))
    }).pipe(Effect.provide(NodeContext.layer)))

  it.scoped("reopens the file when it was removed while the daemon runs", () =>
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const stateDir = yield* makeTempDir
      const log = Context.get(yield* Layer.build(JsonlRenewalLog.layer(stateDir)), RenewalLog)
      yield* TestClock.setTime(T0)
      yield* log.write({ runner: "r", batch_id: "b1", stage: "scan_window", result: "ok" })
      yield* fs.remove(log.directory, { recursive: true })
      yield* TestClock.adjust("1000 millis")
      yield* log.write({ runner: "r", batch_id: "b2", stage: "scan_completed", result: "idle" })
      const lines = (yield* fs.readFileString(log.pathAt(T0))).trim().split("\n")
      expect(lines.map((l) => JSON.parse(l).batch_id)).toEqual(["b2"])
    }).pipe(Effect.provide(NodeContext.layer)))
})
