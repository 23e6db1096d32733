import { Either, Schema } from "effect"
import type { RenewalJob } from "./Job.js"

/** Why a job has no text to send; both fail the job at once. */
export type PayloadProblem = "invalid_payload" | "missing_payload_text"

const decodeJsonPayload = Schema.decodeUnknownEither(Schema.parseJson(Schema.Struct({ text: Schema.String })))

/** The text to send: `text` payloads are the message, `json` ones carry it in `text`. */
export const payloadText = (
  job: Pick<RenewalJob, "payload_kind" | "payload">
): Either.Either<string, PayloadProblem> => {
  const text: Either.Either<string, PayloadProblem> = job.payload_kind === "text"
    ? Either.right(job.payload)
    : decodeJsonPayload(job.payload).pipe(
      Either.map((payload) => payload.text),
      Either.mapLeft(() => "invalid_payload" as const)
    )
  return Either.flatMap(text, (t) => (t.trim() === "" ? Either.left("missing_payload_text" as const) : Either.right(t)))
}
