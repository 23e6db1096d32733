import { Effect } from "effect"
import { ArtifactStore, type ArtifactStoreService as S } from "../../services/ArtifactStore.js"

/** The modules a store is made of, each named for what it holds; SQLite and PostgreSQL fill them in. */
export interface StoreParts {
  readonly messages: { readonly insert: S["insertMessage"]; readonly after: S["messagesAfter"] }
  readonly records: {
    readonly get: S["getMessage"]
    readonly list: S["listMessages"]
    readonly count: S["countMessages"]
  }
  readonly conversations: {
    readonly find: S["findConversation"]
    readonly findOrCreate: S["findOrCreateConversation"]
    readonly get: S["getConversation"]
    readonly list: S["listConversations"]
    readonly count: S["countConversations"]
    readonly setStatus: S["setAutomationStatus"]
  }
  readonly links: {
    readonly upsert: S["upsertLink"]
    readonly deactivateTab: S["deactivateTabLinks"]
    readonly active: S["activeLink"]
    readonly list: S["listLinks"]
    readonly count: S["countLinks"]
  }
  readonly observations: { readonly record: S["recordObservation"] }
  readonly jobs: {
    readonly insert: S["insertJob"]
    readonly get: S["getJob"]
    readonly list: S["listJobs"]
    readonly listStored: S["listStoredJobs"]
    readonly count: S["countJobs"]
  }
  readonly transitions: {
    readonly transition: S["transitionJob"]
    readonly retryFailed: S["retryFailedJob"]
    readonly updateClaimed: S["updateClaimedJob"]
    readonly makeDue: S["makePendingJobsDue"]
  }
  readonly claims: {
    readonly claim: S["claimDueJobs"]
    readonly recover: S["recoverStaleJobs"]
    readonly nextDueAfter: S["nextDueAfter"]
  }
  readonly attempts: { readonly claimAttempts: S["claimAttempts"] }
  readonly projection: { readonly cursor: S["projectorCursor"]; readonly commit: S["commitProjection"] }
  readonly system: { readonly automation: S["systemAutomation"]; readonly setAutomation: S["setSystemAutomation"] }
}

/**
 * The store's service from its parts, each operation traced under its service name but those
 * every reply and every dispatcher tick runs: a named `Effect.fn` costs about 10 µs a call even
 * with no tracer (a stack-trace Error, a span, a context copy), more than a read on the store's
 * read connection, and the daemon installs no tracer.
 */
export const storeOf = (
  { attempts, claims, conversations, jobs, links, messages, observations, projection, records, system, transitions }:
    StoreParts
) =>
  ArtifactStore.of({
    insertMessage: Effect.fn("ArtifactStore.insertMessage")(messages.insert),
    messagesAfter: messages.after,
    getMessage: Effect.fn("ArtifactStore.getMessage")(records.get),
    listMessages: Effect.fn("ArtifactStore.listMessages")(records.list),
    countMessages: Effect.fn("ArtifactStore.countMessages")(records.count),
    findConversation: conversations.find,
    findOrCreateConversation: Effect.fn("ArtifactStore.findOrCreateConversation")(conversations.findOrCreate),
    getConversation: Effect.fn("ArtifactStore.getConversation")(conversations.get),
    listConversations: Effect.fn("ArtifactStore.listConversations")(conversations.list),
    countConversations: Effect.fn("ArtifactStore.countConversations")(conversations.count),
    setAutomationStatus: Effect.fn("ArtifactStore.setAutomationStatus")(conversations.setStatus),
    upsertLink: Effect.fn("ArtifactStore.upsertLink")(links.upsert),
    deactivateTabLinks: Effect.fn("ArtifactStore.deactivateTabLinks")(links.deactivateTab),
    activeLink: links.active,
    listLinks: Effect.fn("ArtifactStore.listLinks")(links.list),
    countLinks: Effect.fn("ArtifactStore.countLinks")(links.count),
    recordObservation: observations.record,
    insertJob: Effect.fn("ArtifactStore.insertJob")(jobs.insert),
    getJob: Effect.fn("ArtifactStore.getJob")(jobs.get),
    listJobs: Effect.fn("ArtifactStore.listJobs")(jobs.list),
    // The job list's two reads, once per `GET /v1/renewal/jobs`: their spans (a stack-trace
    // Error, a span object, a context copy each) cost as much as the rest of the Effect work.
    listStoredJobs: jobs.listStored,
    countJobs: jobs.count,
    transitionJob: Effect.fn("ArtifactStore.transitionJob")(transitions.transition),
    retryFailedJob: Effect.fn("ArtifactStore.retryFailedJob")(transitions.retryFailed),
    // Written once per delivered job: a span costs more than the rest of the call (about 55 of
    // 340 µs of a job's CPU in the PostgreSQL drain), so only the batch's claim is traced.
    updateClaimedJob: transitions.updateClaimed,
    makePendingJobsDue: Effect.fn("ArtifactStore.makePendingJobsDue")(transitions.makeDue),
    claimDueJobs: Effect.fn("ArtifactStore.claimDueJobs")(claims.claim),
    claimAttempts: attempts.claimAttempts,
    recoverStaleJobs: Effect.fn("ArtifactStore.recoverStaleJobs")(claims.recover),
    nextDueAfter: claims.nextDueAfter,
    projectorCursor: projection.cursor,
    commitProjection: projection.commit,
    systemAutomation: system.automation,
    setSystemAutomation: Effect.fn("ArtifactStore.setSystemAutomation")(system.setAutomation)
  })
