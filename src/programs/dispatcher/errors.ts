import { Data, Match, Schema } from "effect"
import type {
  ClientDisconnected,
  DeliveryFailure,
  DeliveryRejected,
  DeliveryTimeout,
  NoActiveClient
} from "../../domain/index.js"

// Every failure carries `code`: the snake_case word stored as `last_error` and logged as the result.

// Terminal: retrying cannot help, the job fails at once (the attempt still counts).

export class MissingLocalConversation extends Data.TaggedError("MissingLocalConversation")<{}> {
  readonly code = "missing_local_conversation"
}

export class InvalidPayload extends Data.TaggedError("InvalidPayload")<{}> {
  readonly code = "invalid_payload"
}

export class MissingPayloadText extends Data.TaggedError("MissingPayloadText")<{}> {
  readonly code = "missing_payload_text"
}

/** The codes that fail a job at once, also when a client gives one as its rejection reason. */
export const TerminalCode = Schema.Literal("missing_local_conversation", "invalid_payload", "missing_payload_text")
export type TerminalCode = typeof TerminalCode.Type

/** The client refused the delivery for a reason that no retry can cure. */
export class TerminalRejection extends Data.TaggedError("TerminalRejection")<{
  readonly request_id: string
  readonly code: TerminalCode
}> {}

export type TerminalFailure = MissingLocalConversation | InvalidPayload | MissingPayloadText | TerminalRejection

// Retryable: the attempt counts and the job is tried again after a backoff, until max_attempts.

export class MissingActiveLink extends Data.TaggedError("MissingActiveLink")<{}> {
  readonly code = "missing_active_link"
}

export class RouteUnavailable extends Data.TaggedError("RouteUnavailable")<{ readonly link_id: string }> {
  readonly code = "route_unavailable"
}

/** The job was left `running` by a dispatcher that died or hung mid-delivery. */
export class StaleRunning extends Data.TaggedError("StaleRunning")<{}> {
  readonly code = "stale_running"
}

export type RetryableFailure =
  | MissingActiveLink
  | RouteUnavailable
  | StaleRunning
  | NoActiveClient
  | DeliveryTimeout
  | ClientDisconnected
  | DeliveryRejected

export type JobFailure = TerminalFailure | RetryableFailure

const isTerminalCode = Schema.is(TerminalCode)

/** A bridge failure in the dispatcher's terms: a client's reason decides only through the terminal codes. */
export const classifyDelivery: (failure: DeliveryFailure) => TerminalRejection | RetryableFailure = Match.type<
  DeliveryFailure
>().pipe(
  Match.tag(
    "DeliveryRejected",
    (e): TerminalRejection | RetryableFailure =>
      isTerminalCode(e.code) ? new TerminalRejection({ request_id: e.request_id, code: e.code }) : e
  ),
  Match.tag("NoActiveClient", "DeliveryTimeout", "ClientDisconnected", (e) => e),
  Match.exhaustive
)

/**
 * Which way a failure sends the job. Exhaustive over both unions: a new failure does not
 * compile until it is classified here.
 */
export const failureKind: (failure: JobFailure) => "terminal" | "retryable" = Match.type<JobFailure>().pipe(
  Match.tag(
    "MissingLocalConversation",
    "InvalidPayload",
    "MissingPayloadText",
    "TerminalRejection",
    () => "terminal" as const
  ),
  Match.tag(
    "MissingActiveLink",
    "RouteUnavailable",
    "StaleRunning",
    "NoActiveClient",
    "DeliveryTimeout",
    "ClientDisconnected",
    "DeliveryRejected",
    () => "retryable" as const
  ),
  Match.exhaustive
)

export const isTerminal = (failure: JobFailure): failure is TerminalFailure => failureKind(failure) === "terminal"

/** What the log keeps of a client's answer: its reason as sent, before normalization. */
export const clientReason: (failure: DeliveryFailure) => { readonly reason?: string } = Match.type<DeliveryFailure>()
  .pipe(
    Match.tag("DeliveryRejected", (e) => ({ reason: e.reason })),
    Match.tag("NoActiveClient", "DeliveryTimeout", "ClientDisconnected", () => ({})),
    Match.exhaustive
  )
