import { subscribe } from "./live.js"
import type { Job } from "./types.js"

/** Minutes shown by the sparklines. */
export const WINDOW_MINUTES = 30
const MINUTE = 60_000

interface Counts {
  done: Map<number, number>
  failed: Map<number, number>
}

/**
 * Jobs finished per minute, counted from `job.updated` events since the page opened (the API
 * keeps no history of rates). Counted at module level so switching views keeps the counts.
 */
const counts: Counts = { done: new Map(), failed: new Map() }
const seen = new Map<string, string>()

subscribe((event) => {
  if (event.type !== "job.updated") return
  const job = event["job"] as Job | undefined
  if (job === undefined || (job.status !== "done" && job.status !== "failed")) return
  // A job reported twice in the same final state (an operator reading it back) counts once.
  if (seen.get(job.job_id) === job.status) return
  seen.set(job.job_id, job.status)
  const minute = Math.floor(event.at / MINUTE)
  const bucket = counts[job.status]
  bucket.set(minute, (bucket.get(minute) ?? 0) + 1)
})

/** The last `WINDOW_MINUTES` minutes of one series, oldest first. */
export const series = (kind: keyof Counts, now: number): ReadonlyArray<number> => {
  const last = Math.floor(now / MINUTE)
  return Array.from({ length: WINDOW_MINUTES }, (_, i) => counts[kind].get(last - WINDOW_MINUTES + 1 + i) ?? 0)
}
