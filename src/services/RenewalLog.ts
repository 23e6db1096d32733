import { Context, type Effect } from "effect"

/** One stage of a timed-jobs tick, written as a JSON line. */
export interface LogEntry {
  readonly runner: string
  readonly batch_id: string
  readonly stage: string
  readonly result: string
  readonly details?: Readonly<Record<string, unknown>> | undefined
}

/** The timed-jobs log: `<state_dir>/logs/timed-jobs/<YYYY-MM-DD>.jsonl` (UTC date). */
export interface RenewalLogService {
  /** Stamps `ts` from the Clock and appends the line. */
  readonly write: (entry: LogEntry) => Effect.Effect<void>
  /** The file the lines written at `ts` go to (stored as a job's `log_path`). */
  readonly pathAt: (ts: number) => string
  readonly directory: string
  /** Deletes the day files of days before the UTC day of `ts`; returns their names. */
  readonly removeBefore: (ts: number) => Effect.Effect<ReadonlyArray<string>>
}

export class RenewalLog extends Context.Tag("baa-conductor/RenewalLog")<RenewalLog, RenewalLogService>() {}
