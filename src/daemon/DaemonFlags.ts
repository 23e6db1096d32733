import { Options } from "@effect/cli"
import { Config, Redacted, Schema } from "effect"
import { AutomationStatus, defaultPacingLimits as pacing, NodeRole, templates } from "../domain/index.js"
import { DEFAULT_HOST, DEFAULT_PORT, DEFAULT_STATE_DIR, defaultRenewalSettings } from "../services/ConductorConfig.js"
import { DEFAULT_LEASE_MS } from "../services/Leases.js"
import { defaultRetentionSettings } from "../services/Retention.js"
import {
  choice,
  type Flag,
  flag,
  fromEnv,
  integer,
  optional,
  toggle,
  withDefault,
  WORD,
  Word,
  word
} from "./FlagKinds.js"

export type { Flag }

const DAY_MS = 86_400_000
const defaults = defaultRenewalSettings()

/**
 * Every flag of `baa-conductor start` (`daemon.md`), typed, with its `BAA_<FLAG>` variable and
 * default; the flag wins over the variable. `--log-level` is @effect/cli's own (see `cli/main.ts`).
 */
export const FLAGS = {
  host: withDefault(word("host", "listen address; other than loopback needs --token"), DEFAULT_HOST),
  port: withDefault(integer("port", 0, 65535, "listen port; 0 picks a free one"), DEFAULT_PORT),
  stateDir: withDefault(word("state-dir", "where the database, token and logs live"), DEFAULT_STATE_DIR),
  databaseUrl: optional(
    flag(
      "database-url",
      "must be sqlite:<path>, a plain file path or postgres://…",
      Options.text("database-url").pipe(Options.withFallbackConfig(fromEnv("database-url", Schema.String, ""))),
      "the store: sqlite:<path>, a plain file path (default sqlite:<state-dir>/conductor.db) or postgres://user@host/db"
    )
  ),
  token: optional(
    flag(
      "token",
      WORD,
      Options.redacted("token").pipe(
        Options.withFallbackConfig(fromEnv("token", Word, WORD, { secret: true }).pipe(Config.map(Redacted.make)))
      ),
      "shared bearer token (default: read or created in <state-dir>/token)"
    )
  ),
  nodeId: optional(word("node-id", "this node's id (default: the host name)")),
  role: withDefault(
    choice("role", NodeRole.literals, "primary or standby (standby keeps the runners idle)"),
    "primary"
  ),
  intervalMs: withDefault(integer("interval-ms", 1, DAY_MS, "timed-jobs tick interval in ms"), defaults.intervalMs),
  maxMessagesPerTick: withDefault(
    integer("max-messages-per-tick", 1, 10_000, "projector batch"),
    defaults.maxMessagesPerTick
  ),
  maxTasksPerTick: withDefault(integer("max-tasks-per-tick", 1, 10_000, "dispatcher batch"), defaults.maxTasksPerTick),
  maxInFlight: withDefault(integer("max-in-flight", 1, 1_000, "deliveries in flight at once"), defaults.maxInFlight),
  settleDelayMs: withDefault(
    integer("settle-delay-ms", 0, DAY_MS, "a message is settled this long after observed_at, in ms"),
    defaults.settleDelayMs
  ),
  defaultAutomationStatus: withDefault(
    choice("default-automation-status", AutomationStatus.literals, "status of a newly seen conversation"),
    defaults.defaultAutomationStatus
  ),
  maxAttempts: withDefault(integer("max-attempts", 1, 1000, "attempts for new jobs"), defaults.maxAttempts),
  retryBaseDelayMs: withDefault(
    integer("retry-base-delay-ms", 0, DAY_MS, "first retry delay in ms"),
    defaults.retryBaseDelayMs
  ),
  retryMaxDelayMs: withDefault(
    integer("retry-max-delay-ms", 0, DAY_MS, "longest retry delay in ms"),
    defaults.retryMaxDelayMs
  ),
  recheckDelayMs: optional(
    integer(
      "recheck-delay-ms",
      1,
      DAY_MS,
      "deferral delay for paused/manual jobs in ms (default max(10000, interval-ms))"
    )
  ),
  executionTimeoutMs: withDefault(
    integer("execution-timeout-ms", 1, DAY_MS, "one delivery's timeout in ms"),
    defaults.executionTimeoutMs
  ),
  template: withDefault(choice("template", Object.keys(templates), "renewal text template"), defaults.template),
  leaseMs: withDefault(
    integer("lease-ms", 2_000, 600_000, "how long a node's and the leader's leases hold without a heartbeat, in ms"),
    DEFAULT_LEASE_MS
  ),
  conversationMinIntervalMs: withDefault(
    integer("conversation-min-interval-ms", 0, DAY_MS, "at most one delivery per conversation in this many ms; 0: off"),
    pacing.conversationMinIntervalMs
  ),
  platformMaxPerMinute: withDefault(
    integer("platform-max-per-minute", 0, 1_000_000, "deliveries per platform per sliding minute; 0: off"),
    pacing.platformMaxPerMinute
  ),
  clientMaxPerMinute: withDefault(
    integer("client-max-per-minute", 0, 1_000_000, "deliveries per browser client per sliding minute; 0: off"),
    pacing.clientMaxPerMinute
  ),
  breakerFailures: withDefault(
    integer("breaker-failures", 0, 1000, "consecutive failures that stop deliveries to a platform; 0: off"),
    pacing.breakerFailures
  ),
  breakerCooldownMs: withDefault(
    integer("breaker-cooldown-ms", 0, DAY_MS, "how long a platform's open circuit waits before one trial, in ms"),
    pacing.breakerCooldownMs
  ),
  logRetentionDays: withDefault(
    integer("log-retention-days", 1, 36_500, "timed-jobs log files older than this many days are deleted"),
    defaultRetentionSettings.logRetentionDays
  ),
  jobRetentionDays: withDefault(
    integer("job-retention-days", 1, 36_500, "done and failed jobs finished this many days ago are deleted"),
    defaultRetentionSettings.jobRetentionDays
  ),
  metricsPublic: toggle("metrics-public", "serve GET /metrics without the token")
}

export type StartFlags = {
  readonly [K in keyof typeof FLAGS]: (typeof FLAGS)[K]["option"] extends Options.Options<infer A> ? A : never
}

/** The options of `start`, as `Command.make` takes them. */
export const startOptions = Object.fromEntries(
  Object.entries(FLAGS).map(([key, f]) => [key, f.option])
) as { readonly [K in keyof StartFlags]: Options.Options<StartFlags[K]> }

/** @effect/cli's own `--log-level` sets the level; its variable is read by `cli/main.ts`. */
export const LOG_LEVELS = ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"] as const
export type LogLevelName = (typeof LOG_LEVELS)[number]

const LOG_LEVEL_ALLOWED = `must be one of ${LOG_LEVELS.join(", ")}`

export const LOG_LEVEL: Flag<LogLevelName> = {
  name: "log-level",
  allowed: LOG_LEVEL_ALLOWED,
  option: Options.choice("log-level", LOG_LEVELS)
}

/** `BAA_LOG_LEVEL`, when set. */
export const logLevelFromEnv = Config.option(fromEnv("log-level", Schema.Literal(...LOG_LEVELS), LOG_LEVEL_ALLOWED))
