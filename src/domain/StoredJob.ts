import { Schema } from "effect"
import { RenewalJob } from "./Job.js"

/**
 * A job as its row holds it: `target_snapshot` still the JSON text the store wrote (always by
 * encoding a `TargetSnapshot`), for readers that pass it on without parsing it.
 */
export const StoredJob = Schema.Struct({
  ...RenewalJob.fields,
  target_snapshot: Schema.NullOr(Schema.String)
})
export type StoredJob = typeof StoredJob.Type
