import type { RenewalJob } from "./Job.js"

/** The `last_error` of a job whose row no longer decodes (hand-edited or damaged columns). */
export const CORRUPT_RECORD = "corrupt_record"

/** A job the store failed because its row does not decode: nothing of it can be delivered. */
export const isQuarantined = (job: Pick<RenewalJob, "status" | "last_error">): boolean =>
  job.status === "failed" && job.last_error === CORRUPT_RECORD
