import { Effect, Layer, Option } from "effect"
import { type RenewalJob, type SystemAutomation, undecidedRecord } from "../domain/index.js"
import { ArtifactStore } from "../services/ArtifactStore.js"
import { ConductorConfig } from "../services/ConductorConfig.js"
import { Events } from "../services/Events.js"

/**
 * The store, publishing a live event after each write it committed: every job write (the
 * projector's inserts, the dispatcher's claims and compare-and-sets, recovery, operators'
 * actions) is `job.updated`, once per committed write and never for one that lost its
 * compare-and-set; decisions, new messages, conversations and the system switch likewise.
 * Wrapping the store, rather than each caller, keeps that true for any program that writes.
 */
export const make = Effect.gen(function*() {
  const store = yield* ArtifactStore
  const events = yield* Events
  const { node } = yield* ConductorConfig

  const job = (updated: RenewalJob) => events.publish({ type: "job.updated", job: updated })
  const jobs = (updated: ReadonlyArray<RenewalJob>) => Effect.forEach(updated, job, { discard: true })
  const system = (automation: SystemAutomation) =>
    events.publish({
      type: "system.updated",
      state: { automation, node_id: node.nodeId, role: node.role, started_at: node.startedAt, version: node.version }
    })

  return ArtifactStore.of({
    ...store,
    recordObservation: (observation) =>
      Effect.tap(store.recordObservation(observation), (result) =>
        Effect.gen(function*() {
          if (result.conversation_created) {
            yield* events.publish({ type: "conversation.updated", conversation: result.conversation })
          }
          if (!result.duplicate) {
            const message = undecidedRecord(result.message, result.conversation.local_conversation_id)
            yield* events.publish({ type: "message.stored", message })
          }
        })),
    setAutomationStatus: (id, status) =>
      Effect.tap(
        store.setAutomationStatus(id, status),
        (conversation) => events.publish({ type: "conversation.updated", conversation })
      ),
    insertJob: (input) => Effect.tap(store.insertJob(input), job),
    transitionJob: (id, from, patch) => Effect.tap(store.transitionJob(id, from, patch), job),
    retryFailedJob: (id, now) => Effect.tap(store.retryFailedJob(id, now), job),
    updateClaimedJob: (id, claim, patch) =>
      Effect.tap(store.updateClaimedJob(id, claim, patch), Option.match({ onNone: () => Effect.void, onSome: job })),
    claimDueJobs: (request) => Effect.tap(store.claimDueJobs(request), jobs),
    claimAttempts: (request) =>
      Effect.tap(store.claimAttempts(request), (claimed) => jobs(claimed.map((attempt) => attempt.job))),
    recoverStaleJobs: (request) => Effect.tap(store.recoverStaleJobs(request), jobs),
    commitProjection: (cursor, batch, decisions = []) =>
      Effect.tap(store.commitProjection(cursor, batch, decisions), (created) =>
        Effect.gen(function*() {
          yield* jobs(created)
          yield* Effect.forEach(decisions, ({ decided_at: _, ...decision }) =>
            events.publish({ type: "message.decided", ...decision }), { discard: true })
        })),
    setSystemAutomation: (state) => Effect.tap(store.setSystemAutomation(state), system)
  })
})

/** Replaces the `ArtifactStore` it is given with the publishing one. */
export const layer: Layer.Layer<ArtifactStore, never, ArtifactStore | ConductorConfig> = Layer.effect(
  ArtifactStore,
  make
)
