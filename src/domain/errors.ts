import { Data } from "effect"
import type { JobStatus } from "./Job.js"

/** A store lookup found nothing. `resource` is the wire name: `conversation`, `renewal_job`, … */
export class RecordNotFound extends Data.TaggedError("RecordNotFound")<{
  readonly resource: "conversation" | "renewal_job" | "link"
  readonly id: string
}> {}

/** One job per message, ever. */
export class JobAlreadyExists extends Data.TaggedError("JobAlreadyExists")<{
  readonly message_id: string
}> {}

/** Input the store refuses: a job for an unknown conversation, a value outside its schema. */
export class InvalidStoreInput extends Data.TaggedError("InvalidStoreInput")<{
  readonly field: string
  readonly message: string
}> {}

/** A compare-and-set on a job's status found it in another status: someone else moved it first. */
export class JobStatusConflict extends Data.TaggedError("JobStatusConflict")<{
  readonly job_id: string
  readonly expected: JobStatus
  readonly actual: JobStatus
}> {}
