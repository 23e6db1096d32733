import { Schema } from "effect"

/** `paused`: every job is deferred. `draining`: no new attempt starts, attempts in flight finish. */
export const SystemAutomation = Schema.Literal("running", "paused", "draining")
export type SystemAutomation = typeof SystemAutomation.Type

export const NodeRole = Schema.Literal("primary", "standby")
export type NodeRole = typeof NodeRole.Type
