import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import type {
  AutomationStatus,
  JobId,
  JobStatusConflict,
  LocalConversationId,
  RecordNotFound
} from "../domain/index.js"
import * as RenewalControl from "../programs/control/RenewalControl.js"
import { Api } from "./Api.js"
import { Conflict, NotFound } from "./ApiErrors.js"
import { conversationView } from "./RenewalHttp.js"
import { toJobView } from "./Views.js"

const notFound = (error: RecordNotFound) => Effect.fail(NotFound.record(error.resource, error.id))

/** The job is in another state than the action needs; `details.status` says which. */
const conflict = (action: string) => (error: JobStatusConflict) =>
  Effect.fail(
    new Conflict({
      message: `renewal_job ${error.job_id} is ${error.actual}; only a ${error.expected} job can be ${action}`,
      details: { resource: "renewal_job", resource_id: error.job_id, status: error.actual }
    })
  )

const setStatus = (id: LocalConversationId, status: AutomationStatus) =>
  RenewalControl.setConversationStatus(id, status).pipe(
    Effect.catchTag("RecordNotFound", notFound),
    Effect.zipRight(conversationView(id))
  )

const retry = (id: JobId) =>
  RenewalControl.retryJob(id).pipe(
    Effect.map(toJobView),
    Effect.catchTags({ RecordNotFound: notFound, JobStatusConflict: conflict("retried") })
  )

const cancel = (id: JobId) =>
  RenewalControl.cancelJob(id).pipe(
    Effect.map(toJobView),
    Effect.catchTags({ RecordNotFound: notFound, JobStatusConflict: conflict("cancelled") })
  )

export const RenewalControlHttp = HttpApiBuilder.group(Api, "renewalControl", (handlers) =>
  handlers
    .handle("setManual", ({ path }) => setStatus(path.local_conversation_id, "manual"))
    .handle("setAuto", ({ path }) => setStatus(path.local_conversation_id, "auto"))
    .handle("setPaused", ({ path }) => setStatus(path.local_conversation_id, "paused"))
    .handle("retryJob", ({ path }) => retry(path.job_id))
    .handle("cancelJob", ({ path }) => cancel(path.job_id)))
