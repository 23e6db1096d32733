import { Schema } from "effect"
import {
  ConversationLink,
  JobPatch,
  RenewalJob,
  RouteParams,
  TargetPayload,
  TargetSnapshot
} from "../../domain/index.js"

/** Object columns are JSON text in SQLite. */
const JsonColumn = <A, I>(schema: Schema.Schema<A, I>) => Schema.NullOr(Schema.parseJson(schema))

/** SQLite has no boolean: 0 / 1. */
const BooleanColumn = Schema.transform(Schema.Literal(0, 1), Schema.Boolean, {
  strict: true,
  decode: (n) => n === 1,
  encode: (b) => (b ? 1 : 0)
})

export const LinkRow = Schema.Struct({
  ...ConversationLink.fields,
  route_params: JsonColumn(RouteParams),
  target_payload: JsonColumn(TargetPayload),
  is_active: BooleanColumn
})

/** Extra columns (`claimed_*`) are dropped on decode: they are the store's own bookkeeping. */
export const JobRow = Schema.Struct({
  ...RenewalJob.fields,
  target_snapshot: JsonColumn(TargetSnapshot)
})

/** The settable job fields, as columns. */
export const JobPatchRow = Schema.Struct({
  ...JobPatch.fields,
  target_snapshot: Schema.optional(JsonColumn(TargetSnapshot))
})

/** A row that proves something exists. */
export const Exists = Schema.Struct({ found: Schema.Number })
