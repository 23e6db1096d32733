import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Either, Option } from "effect"
import type { LocalConversationId } from "../domain/index.js"
import { ArtifactStore } from "../services/ArtifactStore.js"
import { Api } from "./Api.js"
import { NotFound } from "./ApiErrors.js"
import { jobListResponse } from "./JobListJson.js"
import { type ConversationView, type JobList, toJobView } from "./Views.js"

export const RECENT_JOBS = 10

/**
 * A page and the count of everything its filters match, one after the other: SQLite runs one
 * statement at a time anyway, and forking two fibers to wait on it cost more than either query.
 */
const withTotal = <A>(page: Effect.Effect<A>, total: Effect.Effect<number>) => Effect.zip(page, total)

/** A conversation with its active link and newest jobs, or `not_found`. */
export const conversationView = (id: LocalConversationId) =>
  Effect.gen(function*() {
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
  Effect.gen(function*() {
    const store = yield* ArtifactStore
    return handlers
      .handle("listConversations", ({ urlParams }) =>
        withTotal(store.listConversations(urlParams), store.countConversations(urlParams)).pipe(
          Effect.map(([conversations, total]) => ({
            count: conversations.length,
            total,
            filters: urlParams,
            conversations
          }))
        ))
      .handle("getConversation", ({ path }) =>
        conversationView(path.local_conversation_id))
      .handle("listLinks", ({ urlParams }) =>
        withTotal(store.listLinks(urlParams), store.countLinks(urlParams)).pipe(
          Effect.map(([links, total]) => ({ count: links.length, total, filters: urlParams, links }))
        ))
      .handle("listJobs", ({ urlParams }) =>
        withTotal(store.listStoredJobs(urlParams), store.countJobs(urlParams)).pipe(
          Effect.flatMap(([page, total]): Effect.Effect<HttpServerResponse.HttpServerResponse | typeof JobList.Type> =>
            Either.match(page, {
              onRight: (jobs) =>
                jobListResponse(urlParams, total, jobs),
              // A page with a corrupt row goes the schema's way, the row as far as it could be read.
              onLeft: (jobs) =>
                Effect.succeed({ count: jobs.length, total, filters: urlParams, jobs: jobs.map(toJobView) })
            })
          )
        ))
      .handle("listMessages", ({ urlParams }) =>
        withTotal(store.listMessages(urlParams), store.countMessages(urlParams)).pipe(
          Effect.map(([messages, total]) => ({ count: messages.length, total, filters: urlParams, messages }))
        ))
      .handle("getMessage", ({ path }) =>
        store.getMessage(path.message_id).pipe(
          Effect.flatMap(Option.match({
            onNone: () =>
              Effect.fail(NotFound.record("message", path.message_id)),
            onSome: Effect.succeed
          }))
        ))
      .handle("getJob", ({ path }) =>
        store.getJob(path.job_id).pipe(
          Effect.flatMap(Option.match({
            onNone: () =>
              Effect.fail(NotFound.record("renewal_job", path.job_id)),
            onSome: (job) =>
              Effect.succeed(toJobView(job))
          }))
        ))
  }))
