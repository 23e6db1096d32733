import { Schema } from "effect"
import { BatchId, Millis } from "./ids.js"

/** What started a tick: its schedule, a wake-up, or an operator. */
export const Trigger = Schema.Literal("schedule", "wake", "manual")
export type Trigger = typeof Trigger.Type

/** One finished tick of a runner: `idle`, `ok`, `standby`, `error`, … with counts in `details`. */
export const TickRecord = Schema.Struct({
  batch_id: BatchId,
  trigger: Trigger,
  started_at: Millis,
  finished_at: Millis,
  result: Schema.String,
  details: Schema.Record({ key: Schema.String, value: Schema.Unknown })
})
export type TickRecord = typeof TickRecord.Type

export const RunnerStatus = Schema.Struct({
  name: Schema.String,
  interval_ms: Schema.Int,
  last_tick: Schema.NullOr(TickRecord)
})
export type RunnerStatus = typeof RunnerStatus.Type
