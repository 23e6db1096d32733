import { Effect } from "effect"
import { type InvalidStoreInput, type JobPatch, RenewalJob } from "../../domain/index.js"
import { checkOf } from "../schema/astReader.js"
import { encodeInput } from "./boundary.js"
import { JobPatchRow } from "./rows.js"

const encodeSlowly = encodeInput(JobPatchRow)

// The plain columns a patch may set, each with its compiled check; the snapshot (encoded to
// JSON) is left to the schema.
const checks = new Map(
  Object.keys(JobPatchRow.fields).filter((key) => key !== "target_snapshot").map((key) => [
    key,
    checkOf(RenewalJob.fields[key as keyof typeof RenewalJob.fields].ast)
  ])
)

/**
 * `encodeInput(JobPatchRow)` with the same results: a patch of plain columns, each of its
 * type, is stored as it is, so every delivered job's outcome need not go through the generic
 * encoder (several kilobytes of allocation for a three-field patch). Anything else (a
 * snapshot, an unknown key, a value that fails its check) takes the schema's encode.
 */
export const encodePatch = (patch: JobPatch): Effect.Effect<typeof JobPatchRow.Encoded, InvalidStoreInput> => {
  for (const key in patch) {
    const check = checks.get(key)
    const value = patch[key as keyof JobPatch]
    if (check === undefined || value === undefined || !check(value)) return encodeSlowly(patch)
  }
  return Effect.succeed(patch as typeof JobPatchRow.Encoded)
}
