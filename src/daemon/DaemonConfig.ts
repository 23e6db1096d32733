import { Data, Effect, Either, Option, Redacted } from "effect"
import { isIP } from "node:net"
import { hostname } from "node:os"
import { resolve as resolvePath } from "node:path"
import packageJson from "../../package.json" with { type: "json" }
import type { NodeRole, PacingLimits } from "../domain/index.js"
import { defaultRecheckDelayMs, type RenewalSettings } from "../services/ConductorConfig.js"
import { defaultRetentionSettings, type RetentionSettingsService } from "../services/Retention.js"
import type { StartFlags } from "./DaemonFlags.js"
import { databaseFileOf, postgresUrlOf } from "./DatabaseUrl.js"

export const VERSION: string = packageJson.version

/** A start-up setting the daemon refuses; `flag` is the flag it came from (or stands for). */
export class InvalidFlag extends Data.TaggedError("InvalidFlag")<{ readonly flag: string; readonly reason: string }> {
  override get message() {
    return `--${this.flag}: ${this.reason}`
  }
}

export interface DaemonSettings {
  readonly host: string
  readonly port: number
  readonly stateDir: string
  readonly databaseFile: string
  /** Set by `--database-url postgres://…`: the store is then PostgreSQL and `databaseFile` unused. */
  readonly postgresUrl: Option.Option<Redacted.Redacted<string>>
  /** Given with `--token` / `BAA_TOKEN`; otherwise the daemon uses `<stateDir>/token`. */
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly nodeId: string
  readonly role: NodeRole
  /** How long this node's leases (its own, the leader's, its clients' presence) hold without a heartbeat. */
  readonly leaseMs: number
  readonly renewal: RenewalSettings
  readonly pacing: PacingLimits
  readonly retention: RetentionSettingsService
  readonly metricsPublic: boolean
}

const isLoopback = (host: string) =>
  host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."))

const databaseFile = (stateDir: string, url: Option.Option<string>) =>
  Option.match(url, {
    onNone: () => Effect.succeed(resolvePath(stateDir, "conductor.db")),
    onSome: (given) =>
      Either.match(databaseFileOf(given), {
        onLeft: (reason) => Effect.fail(new InvalidFlag({ flag: "database-url", reason })),
        onRight: Effect.succeed
      })
  })

/**
 * The settings from the parsed flags: each flag is already typed and checked on its own (see
 * `DaemonFlags`); what is left are the checks across flags. Listening beyond loopback requires
 * an explicit token.
 */
export const resolve = (flags: StartFlags): Effect.Effect<DaemonSettings, InvalidFlag> =>
  Effect.gen(function*() {
    const token = Option.filter(flags.token, (t) => Redacted.value(t) !== "")
    if (Option.isSome(token) && !/^\S+$/.test(Redacted.value(token.value))) {
      return yield* new InvalidFlag({ flag: "token", reason: "must be a non-empty value without spaces" })
    }
    if (!isLoopback(flags.host) && Option.isNone(token)) {
      return yield* new InvalidFlag({
        flag: "host",
        reason: `${flags.host} is not a loopback address; give --token (or BAA_TOKEN) explicitly to listen on it`
      })
    }
    if (flags.retryMaxDelayMs < flags.retryBaseDelayMs) {
      return yield* new InvalidFlag({
        flag: "retry-max-delay-ms",
        reason: `must be >= --retry-base-delay-ms (${flags.retryBaseDelayMs})`
      })
    }
    const stateDir = resolvePath(flags.stateDir)
    const postgresUrl = Option.flatMap(flags.databaseUrl, postgresUrlOf)
    return {
      host: flags.host,
      port: flags.port,
      stateDir,
      databaseFile: yield* databaseFile(stateDir, Option.isSome(postgresUrl) ? Option.none() : flags.databaseUrl),
      postgresUrl,
      token,
      nodeId: Option.getOrElse(flags.nodeId, () => hostname() || "localhost"),
      role: flags.role,
      leaseMs: flags.leaseMs,
      renewal: {
        intervalMs: flags.intervalMs,
        maxMessagesPerTick: flags.maxMessagesPerTick,
        maxTasksPerTick: flags.maxTasksPerTick,
        maxInFlight: flags.maxInFlight,
        settleDelayMs: flags.settleDelayMs,
        defaultAutomationStatus: flags.defaultAutomationStatus,
        maxAttempts: flags.maxAttempts,
        retryBaseDelayMs: flags.retryBaseDelayMs,
        retryMaxDelayMs: flags.retryMaxDelayMs,
        recheckDelayMs: Option.getOrElse(flags.recheckDelayMs, () => defaultRecheckDelayMs(flags.intervalMs)),
        executionTimeoutMs: flags.executionTimeoutMs,
        template: flags.template
      },
      pacing: {
        conversationMinIntervalMs: flags.conversationMinIntervalMs,
        platformMaxPerMinute: flags.platformMaxPerMinute,
        clientMaxPerMinute: flags.clientMaxPerMinute,
        breakerFailures: flags.breakerFailures,
        breakerCooldownMs: flags.breakerCooldownMs
      },
      retention: {
        ...defaultRetentionSettings,
        logRetentionDays: flags.logRetentionDays,
        jobRetentionDays: flags.jobRetentionDays
      },
      metricsPublic: flags.metricsPublic
    }
  })
