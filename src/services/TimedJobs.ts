import { Context, Data, type Effect } from "effect"
import type { BatchId, NodeRole, RunnerStatus, TickRecord, Trigger } from "../domain/index.js"

export type { RunnerStatus, TickRecord, Trigger }

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
export type TickOutcome = Pick<TickRecord, "result" | "details">

export class UnknownRunner extends Data.TaggedError("UnknownRunner")<{ readonly name: string }> {}

/** The timed-jobs scheduler as the operator sees it. */
export interface TimedJobsService {
  readonly runners: Effect.Effect<ReadonlyArray<RunnerStatus>>
  /** Runs one tick of `name` now (`trigger = manual`) and returns its record. */
  readonly runNow: (name: string) => Effect.Effect<TickRecord, UnknownRunner>
}

export class TimedJobs extends Context.Tag("baa-conductor/TimedJobs")<TimedJobs, TimedJobsService>() {}
