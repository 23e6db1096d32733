import { CliConfig, Options } from "@effect/cli"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Option, Redacted } from "effect"
import { statSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import * as DaemonConfig from "../../src/daemon/DaemonConfig.js"
import { startOptions } from "../../src/daemon/DaemonFlags.js"
import * as DaemonToken from "../../src/daemon/DaemonToken.js"
import { makeTempDir } from "../support/tempStore.js"
import { runStart } from "./startRun.js"

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, "g")

/** The settings `start <args>` would run with, parsed by the command's own options, with exactly `env`. */
const settle = (args: ReadonlyArray<string> = [], env: Record<string, string> = {}) =>
  Options.processCommandLine(Options.all(startOptions), args, CliConfig.defaultConfig).pipe(
    Effect.flatMap(([, , flags]) => DaemonConfig.resolve(flags)),
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
    Effect.provide(NodeContext.layer),
    Effect.orDie
  )

/** What `start <args>` says when it refuses to start, or `started`. */
const refusal = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const dir = yield* makeTempDir
    const port = args.some((arg) => arg.startsWith("--port")) || "BAA_PORT" in env ? [] : ["--port", "0"]
    const result = yield* runStart(["start", "--state-dir", dir, ...port, ...args], env)
    if (result.code === "running") return "started"
    expect(result.code).toBe(2)
    expect(result.stderr).toHaveLength(1)
    return result.stderr[0]!.replace(/^baa-conductor: /, "")
  })

describe("start flags", () => {
  it.effect("defaults follow daemon.md", () =>
    Effect.gen(function*() {
      const settings = yield* settle()
      expect(settings).toMatchObject({ host: "127.0.0.1", port: 4317, role: "primary" })
      expect(settings.stateDir).toBe(resolve(".baa-conductor"))
      expect(settings.databaseFile).toBe(resolve(".baa-conductor", "conductor.db"))
      expect(Option.isNone(settings.token)).toBe(true)
      expect(settings.renewal).toEqual({
        intervalMs: 5000,
        maxMessagesPerTick: 10,
        maxTasksPerTick: 10,
        maxInFlight: 32,
        settleDelayMs: 0,
        defaultAutomationStatus: "manual",
        maxAttempts: 3,
        retryBaseDelayMs: 30000,
        retryMaxDelayMs: 300000,
        recheckDelayMs: 10000,
        executionTimeoutMs: 20000,
        template: "summary_with_link"
      })
    }))

  it.effect("a flag wins over its BAA_ variable; the variable wins over the default", () =>
    Effect.gen(function*() {
      const env = { BAA_PORT: "5000", BAA_ROLE: "standby", BAA_INTERVAL_MS: "20000", BAA_STATE_DIR: "/tmp/x" }
      const settings = yield* settle(["--port", "6000"], env)
      expect(settings).toMatchObject({
        port: 6000,
        role: "standby",
        stateDir: "/tmp/x",
        databaseFile: "/tmp/x/conductor.db"
      })
      expect(settings.renewal).toMatchObject({ intervalMs: 20000, recheckDelayMs: 20000 })
      expect((yield* settle([], { BAA_PORT: "" })).port).toBe(4317)
      expect(Option.map((yield* settle([], { BAA_TOKEN: "s3cret" })).token, Redacted.value)).toEqual(
        Option.some("s3cret")
      )
    }))

  it.effect("retention and /metrics: defaults, flags and variables", () =>
    Effect.gen(function*() {
      const defaults = yield* settle()
      expect(defaults.retention).toMatchObject({ logRetentionDays: 14, jobRetentionDays: 30 })
      expect(defaults.metricsPublic).toBe(false)
      const given = yield* settle(["--log-retention-days", "3", "--metrics-public"], { BAA_JOB_RETENTION_DAYS: "90" })
      expect(given.retention).toMatchObject({ logRetentionDays: 3, jobRetentionDays: 90 })
      expect(given.metricsPublic).toBe(true)
      expect((yield* settle([], { BAA_METRICS_PUBLIC: "true" })).metricsPublic).toBe(true)
      expect((yield* settle([], { BAA_METRICS_PUBLIC: "false" })).metricsPublic).toBe(false)
    }))

  it.scoped("a bad value stops the start with one line naming the flag, exit code 2", () =>
    Effect.gen(function*() {
      expect(yield* refusal(["--port", "abc"])).toBe("--port: must be an integer from 0 to 65535 (got \"abc\")")
      expect(yield* refusal(["--port=70000"])).toBe("--port: must be an integer from 0 to 65535 (got \"70000\")")
      expect(yield* refusal([], { BAA_PORT: "70000" })).toBe(
        "--port: must be an integer from 0 to 65535 (got \"70000\" from BAA_PORT)"
      )
      expect(yield* refusal(["--role", "leader"])).toBe("--role: must be one of primary, standby (got \"leader\")")
      expect(yield* refusal(["--default-automation-status", "on"])).toContain(
        "--default-automation-status: must be one of manual, auto, paused"
      )
      expect(yield* refusal(["--interval-ms", "0"])).toContain("--interval-ms: must be an integer from 1")
      expect(yield* refusal(["--max-attempts", "1.5"])).toContain("--max-attempts:")
      // More in flight than the daemon can carry within its memory budget is refused.
      expect(yield* refusal(["--max-in-flight", "10000"])).toBe(
        "--max-in-flight: must be an integer from 1 to 1000 (got \"10000\")"
      )
      for (const loose of ["1e3", "0x10", "1.0", " 5"]) {
        expect(yield* refusal(["--interval-ms", loose])).toBe(
          `--interval-ms: must be an integer from 1 to 86400000 (got ${JSON.stringify(loose)})`
        )
      }
      expect(yield* refusal(["--log-level", "loud"])).toContain("--log-level: must be one of all, trace, debug")
      expect(yield* refusal([], { BAA_LOG_LEVEL: "loud" })).toContain(
        "--log-level: must be one of all, trace, debug, info, warning, error, fatal, none (got \"loud\" from BAA_LOG_LEVEL)"
      )
      expect(yield* refusal(["--template", "nope"])).toContain("--template: must be one of summary_with_link")
      expect(yield* refusal(["--retry-base-delay-ms", "1000", "--retry-max-delay-ms", "10"])).toContain(
        "--retry-max-delay-ms"
      )
      expect(yield* refusal(["--node-id", "has space"])).toContain("--node-id:")
      expect(yield* refusal([], { BAA_TOKEN: "s3cret with space" })).toBe(
        "--token: must be a non-empty value without spaces (from BAA_TOKEN)"
      )
      expect(yield* refusal(["--host", "0.0.0.0"])).toContain("--host: 0.0.0.0 is not a loopback address")
      const before = yield* runStart(["--log-level", "debug", "start", "--port", "abc"])
      expect(before).toMatchObject({
        code: 2,
        stderr: ["baa-conductor: --port: must be an integer from 0 to 65535 (got \"abc\")"]
      })
      const refused = yield* refusal(["--database-url", "mysql://user:pw@host/db"])
      expect(refused).toBe(
        "--database-url: only sqlite:<path> (or a plain file path) or postgres://… is supported, not mysql:"
      )
    }))

  it.effect("start --help lists each flag once, with its type and default", () =>
    Effect.gen(function*() {
      const help = (yield* runStart(["start", "--help"])).stdout.join("\n").replace(ANSI, "")
      expect(help).toContain("--port integer")
      expect(help).toContain("--role primary | standby")
      expect(help).toContain("--log-level all | trace | debug | info | warning | error | fatal | none")
      expect(help).toContain("Default: 4317.")
      for (const flag of ["--port", "--log-level", "--interval-ms", "--template"]) {
        expect(help.match(new RegExp(`^${flag} `, "gm"))).toHaveLength(1)
      }
    }))

  it.effect("listening beyond loopback needs an explicit token", () =>
    Effect.gen(function*() {
      expect((yield* settle(["--host", "0.0.0.0", "--token", "s3cret"])).host).toBe("0.0.0.0")
      expect((yield* settle(["--host", "0.0.0.0"], { BAA_TOKEN: "s3cret" })).host).toBe("0.0.0.0")
      for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "::1"]) {
        expect((yield* settle(["--host", host])).host).toBe(host)
      }
    }))

  it.effect("--database-url takes sqlite:<path> or a plain path", () =>
    Effect.gen(function*() {
      const file = (url: string) => Effect.map(settle(["--database-url", url]), (s) => s.databaseFile)
      expect(yield* file("sqlite:/var/db/c.db")).toBe("/var/db/c.db")
      expect(yield* file("sqlite:///var/db/c.db")).toBe("/var/db/c.db")
      expect(yield* file("sqlite:rel.db")).toBe(resolve("rel.db"))
      expect(yield* file("/abs/plain.db")).toBe("/abs/plain.db")
    }))

  it.effect("--database-url postgres://… selects PostgreSQL and keeps the URL redacted", () =>
    Effect.gen(function*() {
      for (const url of ["postgres://u:pw@db.example/conductor", "postgresql://db.example/conductor"]) {
        const settings = yield* settle(["--database-url", url])
        expect(Option.map(settings.postgresUrl, Redacted.value)).toEqual(Option.some(url))
        expect(String(settings.postgresUrl)).not.toContain("pw")
      }
      expect((yield* settle([])).postgresUrl).toEqual(Option.none())
    }))

  it.scoped("--log-level debug prints debug lines; none prints no INFO; the flag wins over BAA_LOG_LEVEL", () =>
    Effect.gen(function*() {
      const start = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
        Effect.flatMap(makeTempDir, (dir) => runStart(["start", "--state-dir", dir, "--port", "0", ...args], env))
      const levels = (logs: ReadonlyArray<string>) => new Set(logs.map((line) => line.split(" ")[0]))

      const debug = yield* start(["--log-level", "debug"])
      expect(debug.code).toBe("running")
      expect(debug.logs).toContain("DEBUG Daemon.start")
      expect(debug.stdout.some((line) => /^baa-conductor listening on http:\/\/127\.0\.0\.1:\d+$/.test(line))).toBe(
        true
      )

      const none = yield* start(["--log-level=none"])
      expect(none.code).toBe("running")
      expect(none.logs).toEqual([])

      const byDefault = yield* start([])
      expect(levels(byDefault.logs)).toEqual(new Set(["INFO"]))
      expect((yield* start([], { BAA_LOG_LEVEL: "debug" })).logs).toContain("DEBUG Daemon.start")
      expect(levels((yield* start(["--log-level", "warning"], { BAA_LOG_LEVEL: "debug" })).logs).has("INFO")).toBe(
        false
      )
    }))

  it.scoped("the token: the given one, else made once in the state dir with mode 0600, then reused", () =>
    Effect.gen(function*() {
      const dir = yield* makeTempDir
      const given = yield* DaemonToken.resolve(Option.some(Redacted.make("explicit")), dir)
      expect(Redacted.value(given)).toBe("explicit")
      const made = yield* DaemonToken.resolve(Option.none(), dir)
      expect(Redacted.value(made)).toMatch(/^[A-Za-z0-9_-]{32,}$/)
      expect(statSync(join(dir, "token")).mode & 0o777).toBe(0o600)
      const again = yield* DaemonToken.resolve(Option.none(), dir)
      expect(Redacted.value(again)).toBe(Redacted.value(made))
      writeFileSync(join(dir, "token"), "  \n")
      const empty = yield* Effect.flip(DaemonToken.resolve(Option.none(), dir))
      expect(empty._tag).toBe("TokenFileInvalid")
    }).pipe(Effect.provide(NodeContext.layer)))
})
