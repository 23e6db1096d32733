import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { StoredJob } from "../../src/domain/index.js"
import { rowsGuard } from "../../src/layers/sql/columnGuard.js"
import { storedJobRow } from "./fixtures.js"

const Row = Schema.encodedSchema(StoredJob)

const row = storedJobRow

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
