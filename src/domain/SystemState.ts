import { Schema } from "effect"
import { Millis } from "./ids.js"

/** `paused`: every job is deferred. `draining`: no new attempt starts, attempts in flight finish. */
export const SystemAutomation = Schema.Literal("running", "paused", "draining")
export type SystemAutomation = typeof SystemAutomation.Type

export const NodeRole = Schema.Literal("primary", "standby")
export type NodeRole = typeof NodeRole.Type

/** The daemon-wide switch and who this node is, as the API shows them. */
export const SystemState = Schema.Struct({
  automation: SystemAutomation,
  node_id: Schema.String,
  role: NodeRole,
  started_at: Millis,
  version: Schema.String
})
export type SystemState = typeof SystemState.Type
