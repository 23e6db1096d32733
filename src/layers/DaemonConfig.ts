import { Config, Data, Effect, Either, LogLevel, Option, ParseResult, Redacted, Schema } from "effect"
import { isIP } from "node:net"
import { hostname } from "node:os"
import { resolve as resolvePath } from "node:path"
import packageJson from "../../package.json" with { type: "json" }
import { AutomationStatus, NodeRole } from "../domain/index.js"
import { DEFAULT_TEMPLATE, templates } from "../programs/projector/templates.js"
import type { RenewalSettings } from "../services/ConductorConfig.js"
import { databaseFileOf } from "./DatabaseUrl.js"
import { FLAGS, envName, type Flag, type RawFlags } from "./DaemonFlags.js"

export const VERSION: string = packageJson.version

/** A start-up setting the daemon refuses; `flag` is the flag it came from (or stands for). */
export class InvalidFlag extends Data.TaggedError("InvalidFlag")<{ readonly flag: Flag; readonly reason: string }> {
  override get message() {
    return `--${this.flag}: ${this.reason}`
  }
}

export interface DaemonSettings {
  readonly host: string
  readonly port: number
  readonly stateDir: string
  readonly databaseFile: string
  /** Given with `--token` / `BAA_TOKEN`; otherwise the daemon uses `<stateDir>/token`. */
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly nodeId: string
  readonly role: NodeRole
  readonly logLevel: LogLevel.LogLevel
  readonly renewal: RenewalSettings
}

const allowed = (message: string) => ({ message: () => ({ message, override: true }) })
const Digits = Schema.String.pipe(Schema.pattern(/^(0|[1-9][0-9]{0,9})$/))
const intIn = (min: number, max: number) =>
  Schema.compose(Digits, Schema.NumberFromString).pipe(
    Schema.int(),
    Schema.between(min, max),
    Schema.annotations(allowed(`must be an integer from ${min} to ${max}`))
  )
const DAY_MS = 86_400_000
const Text = Schema.String.pipe(Schema.pattern(/^\S+$/), Schema.annotations(allowed("must be a non-empty value without spaces")))
const LOG_LEVELS = ["all", "trace", "debug", "info", "warning", "error", "fatal", "none"] as const
const LogLevelName = Schema.Literal(...LOG_LEVELS).annotations(allowed(`must be one of ${LOG_LEVELS.join(", ")}`))
const TemplateName = Schema.String.pipe(
  Schema.filter((name) => Object.hasOwn(templates, name)),
  Schema.annotations(allowed(`must be a known template: ${Object.keys(templates).join(", ")}`))
)

interface Given {
  readonly value: string
  /** Where it came from, for the error message: the flag itself or its variable. */
  readonly from: string
}

/** The flag's value: the command line first, then `BAA_<FLAG>` (an empty variable counts as unset). */
const given = (raw: RawFlags, flag: Flag): Effect.Effect<Option.Option<Given>> =>
  Option.match(raw[flag], {
    onSome: (value) => Effect.succeed(Option.some({ value, from: `--${flag}` })),
    onNone: () =>
      Config.option(Config.string(envName(flag))).pipe(
        Effect.map(Option.filter((value) => value !== "")),
        Effect.map(Option.map((value) => ({ value, from: envName(flag) }))),
        Effect.orElseSucceed(() => Option.none<Given>())
      )
  })

// Flag values are strings; each schema decodes one into its setting.
type FlagSchema<A> = Schema.Schema<A, any>

const decode = <A>(flag: Flag, schema: FlagSchema<A>, { from, value }: Given) =>
  Either.match(Schema.decodeUnknownEither(schema)(value), {
    onLeft: (error) =>
      Effect.fail(new InvalidFlag({
        flag,
        reason: `${firstMessage(error)} (got ${JSON.stringify(value)}${from === `--${flag}` ? "" : ` from ${from}`})`
      })),
    onRight: Effect.succeed
  })

const firstMessage = (error: ParseResult.ParseError) =>
  ParseResult.ArrayFormatter.formatErrorSync(error)[0]?.message ?? "is not a valid value"

const setting = <A>(raw: RawFlags, flag: Flag, schema: FlagSchema<A>, fallback: () => A) =>
  Effect.flatMap(given(raw, flag), Option.match({ onNone: () => Effect.succeed(fallback()), onSome: (v) => decode(flag, schema, v) }))

const isLoopback = (host: string) =>
  host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."))

/**
 * Flags, then environment, then defaults, each validated: a bad value fails with the flag's
 * name and what it allows. Listening beyond loopback requires an explicit token.
 */
export const resolve = (raw: RawFlags): Effect.Effect<DaemonSettings, InvalidFlag> =>
  Effect.gen(function* () {
    const host = yield* setting(raw, "host", Text, () => FLAGS.host.default)
    const port = yield* setting(raw, "port", intIn(0, 65535), () => 4317)
    const stateDir = resolvePath(yield* setting(raw, "state-dir", Schema.NonEmptyString, () => FLAGS["state-dir"].default))
    const databaseUrl = yield* given(raw, "database-url")
    const databaseFile = Option.isNone(databaseUrl)
      ? resolvePath(stateDir, "conductor.db")
      : yield* Either.match(databaseFileOf(databaseUrl.value.value), {
          onLeft: (reason) => Effect.fail(new InvalidFlag({ flag: "database-url", reason })),
          onRight: Effect.succeed
        })
    const token = yield* Effect.map(given(raw, "token"), Option.map((t) => Redacted.make(t.value)))
    if (Option.isSome(token) && !/^\S+$/.test(Redacted.value(token.value))) {
      return yield* new InvalidFlag({ flag: "token", reason: "must be a non-empty value without spaces" })
    }
    if (!isLoopback(host) && Option.isNone(token)) {
      return yield* new InvalidFlag({
        flag: "host",
        reason: `${host} is not a loopback address; give --token (or BAA_TOKEN) explicitly to listen on it`
      })
    }
    const intervalMs = yield* setting(raw, "interval-ms", intIn(1, DAY_MS), () => 5000)
    const retryBaseDelayMs = yield* setting(raw, "retry-base-delay-ms", intIn(0, DAY_MS), () => 30_000)
    const retryMaxDelayMs = yield* setting(raw, "retry-max-delay-ms", intIn(0, DAY_MS), () => 300_000)
    if (retryMaxDelayMs < retryBaseDelayMs) {
      return yield* new InvalidFlag({ flag: "retry-max-delay-ms", reason: `must be >= --retry-base-delay-ms (${retryBaseDelayMs})` })
    }
    const renewal: RenewalSettings = {
      intervalMs,
      maxMessagesPerTick: yield* setting(raw, "max-messages-per-tick", intIn(1, 10_000), () => 10),
      maxTasksPerTick: yield* setting(raw, "max-tasks-per-tick", intIn(1, 10_000), () => 10),
      settleDelayMs: yield* setting(raw, "settle-delay-ms", intIn(0, DAY_MS), () => 0),
      defaultAutomationStatus: yield* setting(raw, "default-automation-status", flagChoice(AutomationStatus), () => "manual" as const),
      maxAttempts: yield* setting(raw, "max-attempts", intIn(1, 1000), () => 3),
      retryBaseDelayMs,
      retryMaxDelayMs,
      recheckDelayMs: yield* setting(raw, "recheck-delay-ms", intIn(1, DAY_MS), () => Math.max(10_000, intervalMs)),
      executionTimeoutMs: yield* setting(raw, "execution-timeout-ms", intIn(1, DAY_MS), () => 20_000),
      template: yield* setting(raw, "template", TemplateName, () => DEFAULT_TEMPLATE)
    }
    const level = yield* setting(raw, "log-level", LogLevelName, () => "info" as const)
    return {
      host,
      port,
      stateDir,
      databaseFile,
      token,
      nodeId: yield* setting(raw, "node-id", Text, () => hostname() || "localhost"),
      role: yield* setting(raw, "role", flagChoice(NodeRole), () => "primary" as const),
      logLevel: LogLevel.fromLiteral(level === "all" ? "All" : (`${level[0]!.toUpperCase()}${level.slice(1)}` as LogLevel.Literal)),
      renewal
    }
  })

/** A literal union with the message listing its members. */
function flagChoice<A extends string>(schema: Schema.Schema<A, any> & { readonly literals: ReadonlyArray<A> }) {
  return schema.annotations(allowed(`must be one of ${schema.literals.join(", ")}`))
}
