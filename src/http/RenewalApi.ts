import * as HttpApiEndpoint from "@effect/platform/HttpApiEndpoint"
import * as HttpApiGroup from "@effect/platform/HttpApiGroup"
import * as OpenApi from "@effect/platform/OpenApi"
import { MessageRecord } from "../domain/index.js"
import { NotFoundWire } from "./ApiErrors.js"
import { Authorization } from "./Auth.js"
import { Envelope } from "./Envelope.js"
import {
  ConversationPath,
  ConversationQuery,
  JobPath,
  JobQuery,
  LinkQuery,
  MessagePath,
  MessageQuery
} from "./Params.js"
import { ConversationList, ConversationView, JobList, JobView, LinkList, MessageList } from "./Views.js"

/** Read-only views of conversations, links and renewal jobs. Lists are newest first. */
export class RenewalApi extends HttpApiGroup.make("renewal")
  .add(
    HttpApiEndpoint.get("listConversations", "/v1/renewal/conversations")
      .setUrlParams(ConversationQuery)
      .addSuccess(Envelope(ConversationList))
      .annotate(OpenApi.Summary, "List conversations, most recently updated first")
  )
  .add(
    HttpApiEndpoint.get("getConversation", "/v1/renewal/conversations/:local_conversation_id")
      .setPath(ConversationPath)
      .addSuccess(Envelope(ConversationView))
      .addError(NotFoundWire)
      .annotate(OpenApi.Summary, "One conversation with its active link and its ten newest jobs")
  )
  .add(
    HttpApiEndpoint.get("listLinks", "/v1/renewal/links")
      .setUrlParams(LinkQuery)
      .addSuccess(Envelope(LinkList))
      .annotate(OpenApi.Summary, "List conversation links, most recently observed first")
  )
  .add(
    HttpApiEndpoint.get("listJobs", "/v1/renewal/jobs")
      .setUrlParams(JobQuery)
      .addSuccess(Envelope(JobList))
      .annotate(OpenApi.Summary, "List renewal jobs, most recently created first")
  )
  .add(
    HttpApiEndpoint.get("getJob", "/v1/renewal/jobs/:job_id")
      .setPath(JobPath)
      .addSuccess(Envelope(JobView))
      .addError(NotFoundWire)
      .annotate(OpenApi.Summary, "One renewal job")
  )
  .add(
    HttpApiEndpoint.get("listMessages", "/v1/renewal/messages")
      .setUrlParams(MessageQuery)
      .addSuccess(Envelope(MessageList))
      .annotate(OpenApi.Summary, "List reported messages with the projector's decision, newest first")
  )
  .add(
    HttpApiEndpoint.get("getMessage", "/v1/renewal/messages/:message_id")
      .setPath(MessagePath)
      .addSuccess(Envelope(MessageRecord))
      .addError(NotFoundWire)
      .annotate(OpenApi.Summary, "One message: its conversation, and whether it made a job or why it was skipped")
  )
  .middleware(Authorization)
  .annotate(OpenApi.Description, "Conversations, links, messages and renewal jobs as stored.")
{}
