import { Context, Data, type Effect } from "effect"
import type { BatchId, NodeRole } from "../domain/index.js"

export type Trigger = "schedule" | "wake" | "manual"

/** What a runner gets for one tick. */
export interface TickContext {
  readonly batch_id: BatchId
  readonly trigger: Trigger
  readonly interval_ms: number
  readonly max_messages_per_tick: number
  readonly max_tasks_per_tick: number
  readonly settle_delay_ms: number
  readonly log_dir: string
  readonly node_id: string
  readonly role: NodeRole
}

/** What a tick reports: `idle`, `ok`, `standby`, `error`, … with counts in `details`. */
export interface TickOutcome {
  readonly result: string
  readonly details: Readonly<Record<string, unknown>>
}

export interface TickRecord extends TickOutcome {
  readonly batch_id: BatchId
  readonly trigger: Trigger
  readonly started_at: number
  readonly finished_at: number
}

export interface RunnerStatus {
  readonly name: string
  readonly interval_ms: number
  readonly last_tick: TickRecord | null
}

export class UnknownRunner extends Data.TaggedError("UnknownRunner")<{ readonly name: string }> {}

/** The timed-jobs scheduler as the operator sees it. */
export interface TimedJobsService {
  readonly runners: Effect.Effect<ReadonlyArray<RunnerStatus>>
  /** Runs one tick of `name` now (`trigger = manual`) and returns its record. */
  readonly runNow: (name: string) => Effect.Effect<TickRecord, UnknownRunner>
}

export class TimedJobs extends Context.Tag("baa-conductor/TimedJobs")<TimedJobs, TimedJobsService>() {}
