import { TargetSnapshot } from "../../domain/index.js"
import { jsonColumn, rowReader } from "./rowReader.js"
import { JobRow } from "./rows.js"

// Every column but the snapshot is a plain value with at most a refinement; a job's outcome
// returns the snapshot its claim just decoded, so the snapshot's reader keeps the last few.
const reader = rowReader(JobRow, { target_snapshot: jsonColumn(TargetSnapshot) })

/**
 * `Schema.decodeUnknownEither(JobRow)` with the same results, at a fraction of its cost and
 * allocation: the claims and outcomes of a drain decode every job they touch, and the generic
 * decode of the flat columns was most of the memory a job cost.
 */
export const decodeJobRow = reader.decode

/** `Schema.decodeUnknownEither(Schema.Array(JobRow))` likewise: rows as written by an outcome. */
export const decodeJobRows = reader.decodeAll
