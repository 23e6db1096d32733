import { Data, Either, Option } from "effect"
import {
  availableTab,
  type ConversationLink,
  type DeliveryRequest,
  type LocalConversation,
  payloadText as payloadTextOf,
  planIdFor,
  type RenewalJob,
  type SystemAutomation
} from "../../domain/index.js"
import {
  InvalidPayload,
  type JobFailure,
  MissingActiveLink,
  MissingLocalConversation,
  MissingPayloadText,
  RouteUnavailable
} from "./errors.js"

/** Why a job waits without spending an attempt. */
export type DeferReason = "system_paused" | "automation_paused" | "automation_manual"

export type Plan = Data.TaggedEnum<{
  Defer: { readonly reason: DeferReason }
  Deliver: { readonly request: DeliveryRequest }
}>
export const Plan = Data.taggedEnum<Plan>()

/** What the dispatcher knows of a claimed job's conversation right now. */
export interface JobSurroundings {
  readonly system: SystemAutomation
  readonly conversation: Option.Option<LocalConversation>
  readonly link: Option.Option<ConversationLink>
}

/** The text to send, or the terminal failure of a job that has none (the rule is the domain's). */
export const payloadText = (job: Pick<RenewalJob, "payload_kind" | "payload">): Either.Either<string, JobFailure> =>
  Either.mapLeft(
    payloadTextOf(job),
    (problem) => problem === "invalid_payload" ? new InvalidPayload() : new MissingPayloadText()
  )

const deferReason = (system: SystemAutomation, conversation: LocalConversation): Option.Option<DeferReason> => {
  if (system !== "running") return Option.some("system_paused")
  if (conversation.automation_status === "paused") return Option.some("automation_paused")
  if (conversation.automation_status === "manual") return Option.some("automation_manual")
  return Option.none()
}

/** The dispatcher's decision table for one claimed job, checked in the spec's order. */
export const planJob = (
  job: RenewalJob,
  { system, conversation, link }: JobSurroundings,
  timeoutMs: number
): Either.Either<Plan, JobFailure> => {
  if (Option.isNone(conversation)) return Either.left(new MissingLocalConversation())
  const defer = deferReason(system, conversation.value)
  if (Option.isSome(defer)) return Either.right(Plan.Defer({ reason: defer.value }))
  if (Option.isNone(link)) return Either.left(new MissingActiveLink())
  const tab = availableTab(link.value)
  if (Option.isNone(tab)) return Either.left(new RouteUnavailable({ link_id: link.value.link_id }))
  return Either.map(
    payloadText(job),
    (text) => Plan.Deliver({ request: deliveryRequest(job, link.value, tab.value, text, timeoutMs) })
  )
}

const deliveryRequest = (
  job: RenewalJob,
  link: ConversationLink,
  tabId: number,
  text: string,
  timeoutMs: number
): DeliveryRequest => ({
  client_id: link.client_id,
  plan_id: planIdFor(job.job_id),
  platform: link.platform,
  conversation_id: link.target_payload?.conversation_id ?? link.remote_conversation_id,
  organization_id: link.target_payload?.organization_id ?? null,
  tab_id: tabId,
  page_url: link.page_url ?? link.target_payload?.page_url ?? null,
  page_title: link.page_title,
  assistant_message_id: job.message_id,
  message_text: text,
  timeout_ms: timeoutMs
})
