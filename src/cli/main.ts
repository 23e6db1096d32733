import { Command } from "@effect/cli"
import { Effect, Layer, Logger, LogLevel, Option } from "effect"
import { InvalidFlag, VERSION } from "../daemon/DaemonConfig.js"
import { logLevelFromEnv, type LogLevelName } from "../daemon/DaemonFlags.js"
import { bridgeSimCommand } from "./bridgeSim/index.js"
import { browserCommand } from "./browserCommand.js"
import { conversationsCommand } from "./conversationsCommand.js"
import { jobsCommand } from "./jobsCommand.js"
import { messagesCommand } from "./messagesCommand.js"
import { checkStartFlags, startCommand } from "./startCommand.js"
import { statusCommand } from "./statusCommand.js"
import { systemCommand } from "./systemCommand.js"
import { watchCommand } from "./watchCommand.js"

/** The whole command line: the daemon, the client commands and the bridge simulator. */
export const cli = Command.make("baa-conductor").pipe(
  Command.withDescription("keeps web-chat conversations going: the daemon and its command line"),
  Command.withSubcommands([
    startCommand,
    statusCommand,
    conversationsCommand,
    jobsCommand,
    messagesCommand,
    browserCommand,
    systemCommand,
    watchCommand,
    bridgeSimCommand
  ])
)

const levelOf = (name: LogLevelName): LogLevel.LogLevel =>
  LogLevel.allLevels.find((level) => level._tag.toLowerCase() === name) ?? LogLevel.Info

/**
 * `BAA_LOG_LEVEL` as the minimum level around the whole command line. @effect/cli's own
 * `--log-level` sets the level again closer to the command, so the flag wins over the variable.
 */
const minimumLevelFromEnv = Layer.unwrapEffect(
  logLevelFromEnv.pipe(
    Effect.map(Option.match({ onNone: () => Layer.empty, onSome: (name) => Logger.minimumLogLevel(levelOf(name)) })),
    Effect.mapError((error) =>
      new InvalidFlag({ flag: "log-level", reason: error._op === "InvalidData" ? error.message : String(error) })
    )
  )
)

/**
 * @effect/cli reads its built-in `--log-level` only ahead of the other arguments; daemon.md lets
 * it come anywhere, so it is moved to the front.
 */
const logLevelFirst = (argv: ReadonlyArray<string>): ReadonlyArray<string> => {
  const [node = "node", script = "baa-conductor", ...args] = argv
  const level: Array<string> = []
  const rest: Array<string> = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === "--log-level" && i + 1 < args.length) level.push(arg, args[++i]!)
    else if (arg.startsWith("--log-level=")) level.push("--log-level", arg.slice("--log-level=".length))
    else rest.push(arg)
  }
  return [node, script, ...level, ...rest]
}

/** Runs the command line on `argv` as Node gives it (`[node, script, ...args]`). */
export const run = (argv: ReadonlyArray<string>) =>
  checkStartFlags(argv).pipe(
    Effect.zipRight(Command.run(cli, { name: "baa-conductor", version: VERSION })(logLevelFirst(argv))),
    Effect.provide(minimumLevelFromEnv)
  )
