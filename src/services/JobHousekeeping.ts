import { Context, type Effect } from "effect"
import type { JobStatus } from "../domain/index.js"

/** Whole-table upkeep of the jobs: counts for the metrics, and removal of old finished history. */
export interface JobHousekeepingService {
  readonly countByStatus: Effect.Effect<Readonly<Record<JobStatus, number>>>
  /**
   * Deletes up to `limit` `done`/`failed` jobs that finished before `before`, oldest first, in
   * one transaction; returns how many. Callers repeat it until it returns less than `limit`.
   */
  readonly pruneFinished: (request: { readonly before: number; readonly limit: number }) => Effect.Effect<number>
}

export class JobHousekeeping extends Context.Tag("baa-conductor/JobHousekeeping")<
  JobHousekeeping,
  JobHousekeepingService
>() {}
