import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Layer, TestClock } from "effect"
import * as IdleTicks from "../../src/layers/idleTicks.js"
import * as JsonlRenewalLog from "../../src/layers/JsonlRenewalLog.js"
import { type LogEntry, RenewalLog } from "../../src/services/RenewalLog.js"
import { makeTempDir } from "../support/tempStore.js"
import { T0 } from "./fixtures.js"

const entry = (runner: string, batch_id: string, stage: string, result = "ok"): LogEntry => ({
  runner,
  batch_id,
  stage,
  result
})

/** Feeds entries at the given times and returns the lines let through, named `batch:stage`. */
const through = (entries: ReadonlyArray<readonly [number, LogEntry]>) => {
  const quiet = IdleTicks.make<string>()
  return entries.flatMap(([ts, e]) => quiet(ts, e, `${e.batch_id}:${e.stage}`))
}

describe("idle ticks in the timed-jobs log", () => {
  it("an idle tick is written once a minute per runner; the others leave no line", () => {
    const idle = (ts: number, runner: string, batch: string) =>
      [
        [ts, entry(runner, batch, "scan_window")],
        [ts, entry(runner, batch, "scan_completed", "idle")]
      ] as const
    expect(
      through([
        ...idle(T0, "p", "b1"),
        ...idle(T0 + 5_000, "p", "b2"),
        ...idle(T0 + 5_000, "d", "b3"),
        ...idle(T0 + 59_999, "p", "b4"),
        ...idle(T0 + 60_000, "p", "b5")
      ])
    ).toEqual([
      "b1:scan_window",
      "b1:scan_completed",
      "b3:scan_window",
      "b3:scan_completed",
      "b5:scan_window",
      "b5:scan_completed"
    ])
  })

  it("a tick that did something is written whole and in order, however recent the last line", () => {
    expect(
      through([
        [T0, entry("p", "b1", "scan_window")],
        [T0, entry("p", "b1", "scan_completed", "ok")],
        [T0 + 1, entry("d", "b2", "scan_window")],
        [T0 + 1, entry("p", "b3", "scan_window")],
        [T0 + 2, entry("d", "b2", "job_completed", "attempt_succeeded")],
        [T0 + 2, entry("d", "b2", "scan_completed", "ok")],
        [T0 + 3, entry("p", "b3", "scan_completed", "idle")]
      ])
    ).toEqual(["b1:scan_window", "b1:scan_completed", "b2:scan_window", "b2:job_completed", "b2:scan_completed"])
  })

  it("a tick cut short keeps its first line: the runner's next line releases it", () => {
    expect(
      through([
        [T0, entry("p", "b1", "scan_window")],
        [T0 + 10, entry("p", "b2", "scan_window")],
        [T0 + 20, entry("p", "b2", "tick_failed", "error")]
      ])
    ).toEqual(["b1:scan_window", "b2:scan_window", "b2:tick_failed"])
  })

  it.scoped("the JSONL log removes day files older than a day, and nothing else", () =>
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const stateDir = yield* makeTempDir
      yield* TestClock.setTime(T0)
      const log = yield* Effect.map(Layer.build(JsonlRenewalLog.layer(stateDir)), (ctx) => Context.get(ctx, RenewalLog))
      for (
        const name of ["2026-03-01.jsonl", "2026-03-15.jsonl", "2026-03-16.jsonl", "2026-03-30.jsonl", "notes.txt"]
      ) {
        yield* fs.writeFileString(`${log.directory}/${name}`, "{}\n")
      }
      expect(yield* log.removeBefore(Date.UTC(2026, 2, 16, 23, 0))).toEqual(["2026-03-01.jsonl", "2026-03-15.jsonl"])
      expect((yield* fs.readDirectory(log.directory)).sort()).toEqual([
        "2026-03-16.jsonl",
        "2026-03-30.jsonl",
        "notes.txt"
      ])
    }).pipe(Effect.provide(NodeContext.layer)))
})
