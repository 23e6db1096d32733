import { Context } from "effect"
import type { AutomationStatus, NodeRole } from "../domain/index.js"

/** Settings of the renewal programs (flags of `daemon.md`, already validated). */
export interface RenewalSettings {
  readonly intervalMs: number
  readonly maxMessagesPerTick: number
  readonly maxTasksPerTick: number
  /** Deliveries in flight at once, across conversations. */
  readonly maxInFlight: number
  readonly settleDelayMs: number
  readonly defaultAutomationStatus: AutomationStatus
  readonly maxAttempts: number
  readonly retryBaseDelayMs: number
  readonly retryMaxDelayMs: number
  readonly recheckDelayMs: number
  readonly executionTimeoutMs: number
  readonly template: string
}

/** Who this daemon is: a node, and one run of it (a new `runId` every start). */
export interface NodeIdentity {
  readonly nodeId: string
  readonly role: NodeRole
  readonly runId: string
  readonly startedAt: number
  readonly version: string
}

export interface ConductorConfigService {
  readonly renewal: RenewalSettings
  readonly node: NodeIdentity
}

export class ConductorConfig extends Context.Tag("baa-conductor/ConductorConfig")<
  ConductorConfig,
  ConductorConfigService
>() {}

/** Where the daemon listens and keeps its state unless told otherwise; the CLI client uses the same. */
export const DEFAULT_HOST = "127.0.0.1"
export const DEFAULT_PORT = 4317
export const DEFAULT_STATE_DIR = "./.baa-conductor"
export const DEFAULT_URL = `http://${DEFAULT_HOST}:${DEFAULT_PORT}`

/** The deferral delay follows the interval unless given: never shorter than 10 s. */
export const defaultRecheckDelayMs = (intervalMs: number) => Math.max(10_000, intervalMs)

/** Every renewal default (`daemon.md`), in one place: the flags, the tests and the bench start from it. */
export const defaultRenewalSettings = (intervalMs = 5000): RenewalSettings => ({
  intervalMs,
  maxMessagesPerTick: 10,
  maxTasksPerTick: 10,
  maxInFlight: 32,
  settleDelayMs: 0,
  defaultAutomationStatus: "manual",
  maxAttempts: 3,
  retryBaseDelayMs: 30_000,
  retryMaxDelayMs: 300_000,
  recheckDelayMs: defaultRecheckDelayMs(intervalMs),
  executionTimeoutMs: 20_000,
  template: "summary_with_link"
})
