import { HttpApiBuilder } from "@effect/platform"
import { Effect } from "effect"
import type { SystemAutomation } from "../domain/index.js"
import { ArtifactStore } from "../services/ArtifactStore.js"
import { ConductorConfig } from "../services/ConductorConfig.js"
import { DISPATCHER, Wakeups } from "../services/Wakeups.js"
import { Api } from "./Api.js"
import { makeWaitingJobsDue } from "./dueNow.js"
import type { SystemState } from "./SystemApi.js"

const stateOf = (automation: SystemAutomation) =>
  Effect.map(ConductorConfig, ({ node }): SystemState => ({
    automation,
    node_id: node.nodeId,
    role: node.role,
    started_at: node.startedAt,
    version: node.version
  }))

const set = (next: SystemAutomation) =>
  Effect.gen(function* () {
    const store = yield* ArtifactStore
    const before = yield* store.systemAutomation
    const after = yield* store.setSystemAutomation(next)
    // Jobs deferred while paused or draining go at once instead of sitting out the recheck delay.
    if (after === "running" && before !== "running") {
      yield* makeWaitingJobsDue({})
      yield* (yield* Wakeups).wake(DISPATCHER)
    }
    yield* Effect.logInfo("System.setAutomation").pipe(Effect.annotateLogs({ from: before, to: after }))
    return yield* stateOf(after)
  })

export const SystemHttp = HttpApiBuilder.group(Api, "system", (handlers) =>
  handlers
    .handle("state", () => Effect.flatMap(ArtifactStore, (store) => Effect.flatMap(store.systemAutomation, stateOf)))
    .handle("pause", () => set("paused"))
    .handle("resume", () => set("running"))
    .handle("drain", () => set("draining")))
