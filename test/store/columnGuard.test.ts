import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { StoredJob } from "../../src/domain/index.js"
import { rowsGuard } from "../../src/layers/sqlite/columnGuard.js"

const Row = Schema.encodedSchema(StoredJob)

const row = {
  job_id: "job_1",
  local_conversation_id: "lc_1",
  message_id: "m_1",
  status: "done",
  payload_kind: "json",
  payload: "{}",
  target_snapshot: null,
  attempt_count: 1,
  max_attempts: 3,
  next_attempt_at: null,
  last_attempt_at: 5,
  last_error: null,
  log_path: null,
  started_at: 4,
  finished_at: 5,
  created_at: 1,
  updated_at: 5
}

/** Every way a row read back from a hand-edited file can be off, and a few that are fine. */
const pages: ReadonlyArray<ReadonlyArray<unknown>> = [
  [],
  [row],
  [row, { ...row, target_snapshot: "{\"tab_id\":1}", status: "failed", last_error: "x" }],
  [row, { ...row, extra_column: 1 }],
  [{ ...row, status: "finished" }],
  [{ ...row, payload_kind: "xml" }],
  [{ ...row, attempt_count: "1" }],
  [{ ...row, attempt_count: -1.5 }],
  [{ ...row, created_at: null }],
  [{ ...row, last_error: 7 }],
  [row, { ...row, payload: null }],
  [(({ log_path: _, ...rest }) => rest)(row)],
  [{ ...row, log_path: undefined }],
  [null],
  ["row"],
  [row, 1]
]

describe("rowsGuard", () => {
  it("answers as Schema.is does for a struct of column types", () => {
    const is = Schema.is(Schema.Array(Row))
    const guard = rowsGuard(Row)
    for (const page of pages) expect(guard(page)).toBe(is(page))
  })

  it("checks refinements (brands, integers, ranges) with their own predicates", () => {
    const Refined = Schema.Struct({ n: Schema.Int.pipe(Schema.nonNegative()) })
    const guard = rowsGuard(Refined)
    expect(guard([{ n: 1 }])).toBe(true)
    expect(guard([{ n: -1 }])).toBe(false)
    expect(guard([{ n: 1.5 }])).toBe(false)
  })
})
