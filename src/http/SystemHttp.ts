import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import type { SystemAutomation, SystemState } from "../domain/index.js"
import * as RenewalControl from "../programs/control/RenewalControl.js"
import { leaderAndNodes } from "../programs/leadership/overview.js"
import { ArtifactStore } from "../services/ArtifactStore.js"
import { ConductorConfig } from "../services/ConductorConfig.js"
import { Api } from "./Api.js"

const stateOf = (automation: SystemAutomation) =>
  Effect.map(ConductorConfig, ({ node }): SystemState => ({
    automation,
    node_id: node.nodeId,
    role: node.role,
    started_at: node.startedAt,
    version: node.version
  }))

const set = (next: SystemAutomation) => Effect.flatMap(RenewalControl.setSystemAutomation(next), stateOf)

export const SystemHttp = HttpApiBuilder.group(Api, "system", (handlers) =>
  handlers
    .handle("state", () =>
      Effect.flatMap(ArtifactStore, (store) => Effect.flatMap(store.systemAutomation, stateOf)).pipe(
        Effect.zipWith(leaderAndNodes, (state, overview) => ({ ...state, ...overview }))
      ))
    .handle("pause", () => set("paused"))
    .handle("resume", () => set("running"))
    // Answers at once, as the contract has it: deliveries in flight go on and finish on their own.
    .handle("drain", () => set("draining")))
