import { Context, type Effect } from "effect"

/** How long finished history is kept (`--log-retention-days`, `--job-retention-days`). */
export interface RetentionSettingsService {
  readonly logRetentionDays: number
  readonly jobRetentionDays: number
  /** How often the `renewal.retention` runner ticks. */
  readonly intervalMs: number
  /** The most jobs deleted per transaction; the daemon serves other work between batches. */
  readonly batchSize: number
  /** The work one batch aims at: batches shrink on a slow disk rather than run longer. */
  readonly batchBudgetMs: number
  /** The share of the daemon's thread that pruning may take (it rests between batches). */
  readonly pruneShare: number
}

export class RetentionSettings extends Context.Tag("baa-conductor/RetentionSettings")<
  RetentionSettings,
  RetentionSettingsService
>() {}

export const RETENTION = "renewal.retention"
export const HOUR_MS = 3_600_000
export const DAY_MS = 86_400_000

export const defaultRetentionSettings: RetentionSettingsService = {
  logRetentionDays: 14,
  jobRetentionDays: 30,
  intervalMs: HOUR_MS,
  batchSize: 100,
  batchBudgetMs: 1,
  pruneShare: 0.25
}

/** What one pruning removed. */
export interface PruneReport {
  readonly deleted_jobs: number
  readonly deleted_log_files: ReadonlyArray<string>
  /** Transactions the job deletion took. */
  readonly batches: number
  /** `done`/`failed` jobs that finished before this were deleted. */
  readonly jobs_finished_before: number
  /** Log files of UTC days before this instant's day were deleted. */
  readonly logs_before: number
}

/** Pruning on demand, for the operator (`POST /v1/renewal/prune`). */
export interface RetentionService {
  readonly pruneNow: Effect.Effect<PruneReport>
}

export class Retention extends Context.Tag("baa-conductor/Retention")<Retention, RetentionService>() {}
