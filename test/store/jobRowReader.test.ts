import { describe, expect, it } from "@effect/vitest"
import { Effect, Either, Schema } from "effect"
import type { JobPatch } from "../../src/domain/index.js"
import { encodeInput } from "../../src/layers/sql/boundary.js"
import { encodePatch } from "../../src/layers/sql/jobPatchEncoder.js"
import { decodeJobRow, decodeJobRows } from "../../src/layers/sql/jobRowReader.js"
import { JobPatchRow, JobRow } from "../../src/layers/sql/rows.js"
import { snapshot, storedJobRow } from "./fixtures.js"

const row = {
  ...storedJobRow,
  status: "running",
  target_snapshot: JSON.stringify(snapshot),
  finished_at: null,
  claimed_by_node: "node-1",
  claimed_run: "run",
  claimed_at: 5
}

/** Rows as a database may give them back, read correctly and otherwise. */
const rows: ReadonlyArray<unknown> = [
  row,
  { ...row, target_snapshot: null },
  { ...row, target_snapshot: JSON.stringify({ ...snapshot, extra: 1 }) },
  { ...row, target_snapshot: JSON.stringify({ ...snapshot, target: { ...snapshot.target, payload: {} } }) },
  { ...row, target_snapshot: "{not json" },
  { ...row, target_snapshot: JSON.stringify({ ...snapshot, platform: 7 }) },
  { ...row, target_snapshot: 7 },
  { ...row, status: "finished" },
  { ...row, job_id: "" },
  { ...row, attempt_count: -1 },
  { ...row, attempt_count: 1.5 },
  { ...row, attempt_count: "1" },
  { ...row, created_at: null },
  { ...row, last_error: undefined },
  (({ log_path: _, ...rest }) => rest)(row),
  null,
  "row",
  [row]
]

const decode = Schema.decodeUnknownEither(JobRow)

describe("decodeJobRow", () => {
  it("answers as the schema's decode does, keys in the same order", () => {
    for (const raw of rows) {
      const fast = decodeJobRow(raw)
      const slow = decode(raw)
      expect(Either.isRight(fast)).toBe(Either.isRight(slow))
      if (Either.isRight(fast) && Either.isRight(slow)) {
        expect(JSON.stringify(fast.right)).toBe(JSON.stringify(slow.right))
      }
      if (Either.isLeft(fast) && Either.isLeft(slow)) expect(fast.left.message).toBe(slow.left.message)
    }
  })

  it("reads a batch as the array schema does", () => {
    const all = decodeJobRows([row, { ...row, job_id: "job_2" }])
    expect(Either.getOrThrow(all).map((job) => job.job_id)).toEqual(["job_1", "job_2"])
    const bad = decodeJobRows([row, { ...row, status: "finished" }])
    const slow = Schema.decodeUnknownEither(Schema.Array(JobRow))([row, { ...row, status: "finished" }])
    expect(Either.isLeft(bad) && Either.isLeft(slow) && bad.left.message === slow.left.message).toBe(true)
  })
})

/** Patches as callers write them, and ones the store must refuse. */
const patches: ReadonlyArray<unknown> = [
  {},
  { status: "done", next_attempt_at: null, finished_at: 9 },
  { status: "pending", attempt_count: 2, last_error: "timeout", next_attempt_at: 20 },
  { target_snapshot: snapshot, log_path: "logs/x.jsonl" },
  { target_snapshot: null },
  { status: "finished" },
  { attempt_count: -1 },
  { max_attempts: 0 },
  { finished_at: 1.5 },
  { last_error: 7 },
  { status: undefined, finished_at: 3 },
  { status: "done", surplus: 1 }
]

describe("encodePatch", () => {
  it.effect("answers as the schema's encode does", () =>
    Effect.gen(function*() {
      const slow = encodeInput(JobPatchRow)
      for (const patch of patches) {
        const fast = yield* Effect.either(encodePatch(patch as JobPatch))
        const expected = yield* Effect.either(slow(patch as JobPatch))
        expect(fast).toEqual(expected)
      }
    }))
})
