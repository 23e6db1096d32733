import { Data, Deferred, Duration, Effect, Ref, type Scope } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

/** The built entry point; vitest's global setup (`buildOnce.ts`) rebuilds it when src/ is newer. */
export const BIN = fileURLToPath(new URL("../../dist/src/bin.js", import.meta.url))

const READY = /listening on (http:\/\/\S+)/

/** How long a start may take before the helper gives up: a safety net, never an assertion. */
const START_LIMIT = Duration.seconds(30)
const STOP_LIMIT = Duration.seconds(15)

export class DaemonFailed
  extends Data.TaggedError("DaemonFailed")<{ readonly reason: string; readonly output: string }>
{
  override get message() {
    return `${this.reason}\n--- daemon output ---\n${this.output}`
  }
}

export interface DaemonProcess {
  readonly url: string
  /** `ws://…/v1/browser/ws` of the same daemon. */
  readonly wsUrl: string
  readonly token: string
  readonly stateDir: string
  readonly pid: number
  /** Everything written to stdout and stderr so far. */
  readonly output: Effect.Effect<string>
  /** Sends the signal and waits for the exit code (`null` when killed by a signal). */
  readonly stop: (signal?: NodeJS.Signals) => Effect.Effect<number | null, DaemonFailed>
}

export interface DaemonOptions {
  readonly stateDir: string
  /** Extra `start` flags, e.g. `["--interval-ms", "200"]`. */
  readonly args?: ReadonlyArray<string>
  readonly env?: Readonly<Record<string, string>>
}

/**
 * Runs `node dist/src/bin.js start --state-dir <dir> --port 0 …` and waits for its ready line.
 * The process is stopped with SIGTERM (SIGKILL if it hangs) when the scope closes, unless a test
 * stopped it already.
 */
export const spawnDaemon = (options: DaemonOptions): Effect.Effect<DaemonProcess, DaemonFailed, Scope.Scope> =>
  Effect.gen(function*() {
    if (!existsSync(BIN)) {
      return yield* new DaemonFailed({ reason: `${BIN} is missing: run npm run build first`, output: "" })
    }
    const output = yield* Ref.make("")
    const ready = yield* Deferred.make<string, DaemonFailed>()
    const exited = yield* Deferred.make<number | null>()

    const child: ChildProcess = yield* Effect.acquireRelease(
      Effect.sync(() =>
        spawn(
          process.execPath,
          [BIN, "start", "--state-dir", options.stateDir, "--port", "0", ...(options.args ?? [])],
          {
            env: { ...process.env, ...options.env },
            stdio: ["ignore", "pipe", "pipe"]
          }
        )
      ),
      (child) =>
        Deferred.isDone(exited).pipe(
          Effect.flatMap((done) =>
            done
              ? Effect.void
              : Effect.sync(() => child.kill("SIGTERM")).pipe(
                Effect.zipRight(Deferred.await(exited).pipe(Effect.timeout(STOP_LIMIT))),
                Effect.catchAll(() => Effect.sync(() => child.kill("SIGKILL")))
              )
          )
        )
    )

    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8")
      Effect.runSync(Ref.update(output, (all) => all + text))
      const all = Effect.runSync(Ref.get(output))
      const match = READY.exec(all)
      if (match !== null) Effect.runSync(Deferred.succeed(ready, match[1]!))
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    child.on("exit", (code) => {
      Effect.runSync(Deferred.succeed(exited, code))
      const all = Effect.runSync(Ref.get(output))
      Effect.runSync(
        Deferred.fail(
          ready,
          new DaemonFailed({ reason: `the daemon exited with ${code} before it was ready`, output: all })
        )
      )
    })

    const url = yield* Deferred.await(ready).pipe(
      Effect.timeoutFail({
        duration: START_LIMIT,
        onTimeout: () => new DaemonFailed({ reason: "no ready line", output: Effect.runSync(Ref.get(output)) })
      })
    )
    const tokenFlag = options.args?.indexOf("--token") ?? -1
    const token = tokenFlag >= 0
      ? options.args![tokenFlag + 1]!
      : readFileSync(join(options.stateDir, "token"), "utf8").trim()

    const stop = (signal: NodeJS.Signals = "SIGTERM") =>
      Effect.sync(() => child.kill(signal)).pipe(
        Effect.zipRight(Deferred.await(exited)),
        Effect.timeoutFail({
          duration: STOP_LIMIT,
          onTimeout: () =>
            new DaemonFailed({ reason: `no exit after ${signal}`, output: Effect.runSync(Ref.get(output)) })
        })
      )

    return {
      url,
      wsUrl: `${url.replace(/^http/, "ws")}/v1/browser/ws`,
      token,
      stateDir: options.stateDir,
      pid: child.pid!,
      output: Ref.get(output),
      stop
    }
  })
