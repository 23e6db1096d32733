import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect, Option } from "effect"
import type { LocalConversationId } from "../domain/index.js"
import { ArtifactStore } from "../services/ArtifactStore.js"
import { Api } from "./Api.js"
import { NotFound } from "./ApiErrors.js"
import { jobListResponse } from "./JobListJson.js"
import { toJobView, type ConversationView } from "./Views.js"

export const RECENT_JOBS = 10

/** A conversation with its active link and newest jobs, or `not_found`. */
export const conversationView = (id: LocalConversationId) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const conversation = yield* store.getConversation(id).pipe(
      Effect.flatMap(Option.match({
        onNone: () => Effect.fail(NotFound.record("conversation", id)),
        onSome: Effect.succeed
      }))
    )
    const [link, jobs] = yield* Effect.all(
      [store.activeLink(id), store.listJobs({ local_conversation_id: id, limit: RECENT_JOBS, offset: 0 })],
      { concurrency: 2 }
    )
    const view: ConversationView = {
      ...conversation,
      active_link: Option.getOrNull(link),
      recent_jobs: jobs.map(toJobView)
    }
    return view
  })

export const RenewalHttp = HttpApiBuilder.group(Api, "renewal", (handlers) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    return handlers
      .handle("listConversations", ({ urlParams }) =>
        store.listConversations(urlParams).pipe(
          Effect.map((conversations) => ({ count: conversations.length, filters: urlParams, conversations }))
        ))
      .handle("getConversation", ({ path }) => conversationView(path.local_conversation_id))
      .handle("listLinks", ({ urlParams }) =>
        store.listLinks(urlParams).pipe(Effect.map((links) => ({ count: links.length, filters: urlParams, links }))))
      .handle("listJobs", ({ urlParams }) =>
        store.listStoredJobs(urlParams).pipe(Effect.flatMap((jobs) => jobListResponse(urlParams, jobs))))
      .handle("getJob", ({ path }) =>
        store.getJob(path.job_id).pipe(
          Effect.flatMap(Option.match({
            onNone: () => Effect.fail(NotFound.record("renewal_job", path.job_id)),
            onSome: (job) => Effect.succeed(toJobView(job))
          }))
        ))
  }))
