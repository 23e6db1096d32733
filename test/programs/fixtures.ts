import { Layer } from "effect"
import {
  ConductorConfig,
  defaultRenewalSettings,
  type NodeIdentity,
  type RenewalSettings
} from "../../src/services/ConductorConfig.js"

export const NODE_ID = "node-test"
export const RUN_ID = "run-2"

export const node = (overrides: Partial<NodeIdentity> = {}): NodeIdentity => ({
  nodeId: NODE_ID,
  role: "primary",
  runId: RUN_ID,
  startedAt: 0,
  version: "0.0.0-test",
  ...overrides
})

export const configLayer = (renewal: Partial<RenewalSettings> = {}, identity: Partial<NodeIdentity> = {}) =>
  Layer.succeed(ConductorConfig, {
    renewal: { ...defaultRenewalSettings(renewal.intervalMs ?? 5000), ...renewal },
    node: node(identity)
  })

/** 2026-03-30 12:00:00 UTC, the reference scenarios' clock. */
export const T0 = Date.UTC(2026, 2, 30, 12, 0, 0)
