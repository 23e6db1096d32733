import { Schema } from "effect"
import { StoredJob } from "../../domain/index.js"
import { rowsGuard } from "./columnGuard.js"

// Checks the columns' plain types only (no brands or refinements): a fraction of a decode's cost.
const hasStoredTypes = rowsGuard(Schema.encodedSchema(StoredJob))

const isJsonOrNull = (text: string | null): boolean => {
  if (text === null) return true
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

const snapshotParses = (row: typeof StoredJob.Encoded): boolean => isJsonOrNull(row.target_snapshot)

/** Rows the list's fast path may pass on as they are: the columns' types, and JSON columns that parse. */
export const isStoredPage = (rows: ReadonlyArray<unknown>): rows is ReadonlyArray<typeof StoredJob.Encoded> =>
  hasStoredTypes(rows) && rows.every(snapshotParses)

/** The column a page's query adds with SQLite's `json_valid(target_snapshot)`: 1, 0, or null for a null snapshot. */
export const SNAPSHOT_VALID = "target_snapshot_valid"

const snapshotChecked = (row: typeof StoredJob.Encoded): boolean =>
  row.target_snapshot === null || (row as Record<string, unknown>)[SNAPSHOT_VALID] === 1

/** As `isStoredPage`, for rows whose query added `SNAPSHOT_VALID`: JSON.parse of every snapshot cost more. */
export const isCheckedStoredPage = (
  rows: ReadonlyArray<unknown>
): rows is ReadonlyArray<typeof StoredJob.Encoded> => hasStoredTypes(rows) && rows.every(snapshotChecked)
