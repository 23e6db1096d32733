import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Either, LogLevel, Option, Redacted } from "effect"
import { statSync, writeFileSync } from "node:fs"
import { join, resolve } from "node:path"
import * as DaemonConfig from "../../src/layers/DaemonConfig.js"
import { FLAG_NAMES, type RawFlags } from "../../src/layers/DaemonFlags.js"
import * as DaemonToken from "../../src/layers/DaemonToken.js"
import { makeTempDir } from "../support/tempStore.js"

const flags = (given: Record<string, string> = {}): RawFlags =>
  Object.fromEntries(FLAG_NAMES.map((f) => [f, Option.fromNullable(given[f])])) as RawFlags

/** Resolves with exactly these environment variables and nothing from the real environment. */
const settle = (given: Record<string, string> = {}, env: Record<string, string> = {}) =>
  DaemonConfig.resolve(flags(given)).pipe(
    Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
    Effect.either
  )

const refusal = (result: Either.Either<unknown, DaemonConfig.InvalidFlag>) =>
  Either.match(result, { onLeft: (e) => e.message, onRight: () => "accepted" })

describe("start flags", () => {
  it.effect("defaults follow daemon.md", () =>
    Effect.gen(function* () {
      const settings = Either.getOrThrow(yield* settle())
      expect(settings).toMatchObject({ host: "127.0.0.1", port: 4317, role: "primary", logLevel: LogLevel.Info })
      expect(settings.stateDir).toBe(resolve(".baa-conductor"))
      expect(settings.databaseFile).toBe(resolve(".baa-conductor", "conductor.db"))
      expect(Option.isNone(settings.token)).toBe(true)
      expect(settings.renewal).toEqual({
        intervalMs: 5000,
        maxMessagesPerTick: 10,
        maxTasksPerTick: 10,
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
    Effect.gen(function* () {
      const env = { BAA_PORT: "5000", BAA_ROLE: "standby", BAA_INTERVAL_MS: "20000", BAA_STATE_DIR: "/tmp/x" }
      const settings = Either.getOrThrow(yield* settle({ port: "6000" }, env))
      expect(settings).toMatchObject({ port: 6000, role: "standby", stateDir: "/tmp/x", databaseFile: "/tmp/x/conductor.db" })
      expect(settings.renewal).toMatchObject({ intervalMs: 20000, recheckDelayMs: 20000 })
      expect(Either.getOrThrow(yield* settle({}, { BAA_PORT: "" })).port).toBe(4317)
    }))

  it.effect("a bad value names the flag and says what is allowed", () =>
    Effect.gen(function* () {
      expect(refusal(yield* settle({ port: "abc" }))).toBe('--port: must be an integer from 0 to 65535 (got "abc")')
      expect(refusal(yield* settle({}, { BAA_PORT: "70000" }))).toBe('--port: must be an integer from 0 to 65535 (got "70000" from BAA_PORT)')
      expect(refusal(yield* settle({ role: "leader" }))).toBe('--role: must be one of primary, standby (got "leader")')
      expect(refusal(yield* settle({ "default-automation-status": "on" }))).toContain("--default-automation-status: must be one of manual, auto, paused")
      expect(refusal(yield* settle({ "interval-ms": "0" }))).toContain("--interval-ms: must be an integer from 1")
      expect(refusal(yield* settle({ "max-attempts": "1.5" }))).toContain("--max-attempts:")
      expect(refusal(yield* settle({ "log-level": "loud" }))).toContain("--log-level: must be one of")
      expect(refusal(yield* settle({ template: "nope" }))).toContain("--template: must be a known template: summary_with_link")
      expect(refusal(yield* settle({ "retry-base-delay-ms": "1000", "retry-max-delay-ms": "10" }))).toContain("--retry-max-delay-ms")
      expect(refusal(yield* settle({ "node-id": "has space" }))).toContain("--node-id:")
    }))

  it.effect("listening beyond loopback needs an explicit token", () =>
    Effect.gen(function* () {
      expect(refusal(yield* settle({ host: "0.0.0.0" }))).toContain("--host: 0.0.0.0 is not a loopback address")
      expect(Either.isRight(yield* settle({ host: "0.0.0.0", token: "s3cret" }))).toBe(true)
      expect(Either.isRight(yield* settle({ host: "0.0.0.0" }, { BAA_TOKEN: "s3cret" }))).toBe(true)
      for (const host of ["localhost", "127.0.0.1", "127.1.2.3", "::1"]) {
        expect(Either.isRight(yield* settle({ host }))).toBe(true)
      }
    }))

  it.effect("--database-url takes sqlite:<path> or a plain path, and refuses other stores by scheme only", () =>
    Effect.gen(function* () {
      const file = (url: string) => Either.map(DaemonConfig.resolve(flags({ "database-url": url })).pipe(Effect.either, Effect.runSync), (s) => s.databaseFile)
      expect(file("sqlite:/var/db/c.db")).toEqual(Either.right("/var/db/c.db"))
      expect(file("sqlite:///var/db/c.db")).toEqual(Either.right("/var/db/c.db"))
      expect(file("sqlite:rel.db")).toEqual(Either.right(resolve("rel.db")))
      expect(file("/abs/plain.db")).toEqual(Either.right("/abs/plain.db"))
      const refused = refusal(yield* settle({ "database-url": "postgres://user:pw@host/db" }))
      expect(refused).toBe("--database-url: only sqlite:<path> (or a plain file path) is supported, not postgres:")
      expect(refused).not.toContain("pw")
    }))

  it.scoped("the token: the given one, else made once in the state dir with mode 0600, then reused", () =>
    Effect.gen(function* () {
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
