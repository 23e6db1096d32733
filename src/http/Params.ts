import { Schema } from "effect"
import {
  AutomationStatus,
  ClientId,
  JobId,
  JobStatus,
  LocalConversationId,
  MessageDecision,
  MessageId,
  Platform,
  RemoteConversationId
} from "../domain/index.js"

/**
 * Query and path parameters: the domain's schemas, each with the message a refused value gets.
 * `override` makes that message win over whichever inner check failed, so the 400 always says
 * what is allowed rather than how parsing broke.
 */
const allowed = (message: string) => ({ message: () => ({ message, override: true }) })

const Digits = Schema.String.pipe(Schema.pattern(/^(0|[1-9][0-9]{0,8})$/))
const IntFromDigits = Schema.compose(Digits, Schema.NumberFromString)

export const Limit = IntFromDigits.pipe(Schema.int(), Schema.between(1, 200)).annotations({
  ...allowed("must be an integer from 1 to 200"),
  description: "page size, 1..200 (default 20)"
})

export const Offset = IntFromDigits.pipe(Schema.int(), Schema.nonNegative()).annotations({
  ...allowed("must be an integer >= 0"),
  description: "items to skip (default 0)"
})

export const IsActive = Schema.transformLiterals(["true", true], ["false", false]).annotations(
  allowed("must be true or false")
)

export const ConversationStatus = AutomationStatus.annotations(allowed("must be one of manual, auto, paused"))
export const JobStatusParam = JobStatus.annotations(allowed("must be one of pending, running, done, failed"))
export const MessageDecisionParam = MessageDecision.annotations(
  allowed("must be one of undecided, job_created, skipped")
)
export const PlatformParam = Platform.annotations(allowed("must be a lower-case platform name such as chatgpt"))

const nonEmpty = allowed("must be a non-empty string")
export const LocalConversationIdParam = LocalConversationId.annotations(nonEmpty)
export const RemoteConversationIdParam = RemoteConversationId.annotations(nonEmpty)
export const ClientIdParam = ClientId.annotations(nonEmpty)
export const MessageIdParam = MessageId.annotations(nonEmpty)
export const JobIdParam = JobId.annotations(nonEmpty)

/** `limit` and `offset`, with their defaults applied when absent. */
export const page = {
  limit: Schema.optionalWith(Limit, { default: () => 20 }),
  offset: Schema.optionalWith(Offset, { default: () => 0 })
}

export const ConversationQuery = Schema.Struct({
  platform: Schema.optional(PlatformParam),
  status: Schema.optional(ConversationStatus),
  ...page
})

export const LinkQuery = Schema.Struct({
  platform: Schema.optional(PlatformParam),
  remote_conversation_id: Schema.optional(RemoteConversationIdParam),
  client_id: Schema.optional(ClientIdParam),
  local_conversation_id: Schema.optional(LocalConversationIdParam),
  is_active: Schema.optional(IsActive),
  ...page
})

export const JobQuery = Schema.Struct({
  status: Schema.optional(JobStatusParam),
  local_conversation_id: Schema.optional(LocalConversationIdParam),
  message_id: Schema.optional(MessageIdParam),
  ...page
})

export const MessageQuery = Schema.Struct({
  local_conversation_id: Schema.optional(LocalConversationIdParam),
  platform: Schema.optional(PlatformParam),
  decision: Schema.optional(MessageDecisionParam),
  ...page
})

export const ConversationPath = Schema.Struct({ local_conversation_id: LocalConversationIdParam })
export const JobPath = Schema.Struct({ job_id: JobIdParam })
export const MessagePath = Schema.Struct({ message_id: MessageIdParam })
export const RunnerPath = Schema.Struct({ runner: Schema.String.pipe(Schema.minLength(1)) })
