import { NodeContext } from "@effect/platform-node"
import { ConfigProvider, Console, Deferred, Effect, Exit, Fiber, Logger, Ref } from "effect"
import { withExitCodes } from "../../src/cli/exitCodes.js"
import { run } from "../../src/cli/main.js"

export interface StartResult {
  readonly code: number | "running"
  readonly stdout: ReadonlyArray<string>
  readonly stderr: ReadonlyArray<string>
  /** Every log line as `LEVEL message`. */
  readonly logs: ReadonlyArray<string>
}

/**
 * Runs `baa-conductor <args>` in-process through the real command line, with exactly `env` as
 * its environment. When the daemon prints its ready line it is stopped (as by SIGINT) and the
 * result says `running`; otherwise the result has the exit code the process would end with.
 */
export const runStart = (args: ReadonlyArray<string>, env: Record<string, string> = {}) =>
  Effect.gen(function*() {
    const out = yield* Ref.make<ReadonlyArray<string>>([])
    const err = yield* Ref.make<ReadonlyArray<string>>([])
    const logs = yield* Ref.make<ReadonlyArray<string>>([])
    const ready = yield* Deferred.make<void>()
    const base = yield* Console.consoleWith(Effect.succeed)
    const line = (parts: ReadonlyArray<unknown>) => parts.map(String).join(" ")
    const capture: Console.Console = {
      ...base,
      log: (...parts) =>
        Ref.update(out, (lines) => [...lines, line(parts)]).pipe(
          Effect.zipRight(/listening on/.test(line(parts)) ? Deferred.succeed(ready, undefined) : Effect.void)
        ),
      error: (...parts) => Ref.update(err, (lines) => [...lines, line(parts)])
    }
    const logger = Logger.make(({ logLevel, message }) => {
      const text = Array.isArray(message) ? message.map(String).join(" ") : String(message)
      Effect.runSync(Ref.update(logs, (all) => [...all, `${logLevel.label} ${text}`]))
    })
    const fiber = yield* run(["node", "baa-conductor", ...args]).pipe(
      withExitCodes,
      Effect.withConsole(capture),
      Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
      Effect.withConfigProvider(ConfigProvider.fromMap(new Map(Object.entries(env)))),
      Effect.provide(NodeContext.layer),
      Effect.fork
    )
    const exit = yield* Effect.raceFirst(Fiber.await(fiber), Effect.as(Deferred.await(ready), null))
    if (exit === null) yield* Fiber.interrupt(fiber)
    const code: StartResult["code"] = exit === null
      ? "running"
      : Exit.match(exit, { onSuccess: () => 0, onFailure: (cause) => (cause._tag === "Fail" ? cause.error.code : 1) })
    const result: StartResult = {
      code,
      stdout: yield* Ref.get(out),
      stderr: yield* Ref.get(err),
      logs: yield* Ref.get(logs)
    }
    return result
  })
