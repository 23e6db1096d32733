import { CliConfig, Command, HelpDoc, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import * as Daemon from "../daemon/Daemon.js"
import { InvalidFlag } from "../daemon/DaemonConfig.js"
import { type Flag, FLAGS, LOG_LEVEL, startOptions } from "../daemon/DaemonFlags.js"

/** `baa-conductor start`: the daemon, until SIGINT or SIGTERM. */
export const startCommand = Command.make("start", startOptions, Daemon.start).pipe(
  Command.withDescription("run the daemon: the store, the renewal programs, the HTTP API and the browser bridge")
)

/** The values `args` gives `--name` (`--name v` or `--name=v`), in order. */
const valuesOf = (name: string, args: ReadonlyArray<string>): ReadonlyArray<string> =>
  args.flatMap((arg, i) =>
    arg === `--${name}` ? [args[i + 1] ?? ""] : arg.startsWith(`--${name}=`) ? [arg.slice(name.length + 3)] : []
  )

// A refused variable reads `(Invalid data at BAA_X: "<why>")`; the why is enough.
const reasonOf = (text: string) => /^\(Invalid data at [^:]+: "(.*)"\)$/s.exec(text.trim())?.[1] ?? text.trim()

/**
 * One flag checked on its own, so a refusal can name it: @effect/cli's messages do not say
 * which option they are about.
 */
const checkFlag = (flag: Flag<unknown>, args: ReadonlyArray<string>) => {
  const values = valuesOf(flag.name, args)
  const refuse = (reason: string) => new InvalidFlag({ flag: flag.name, reason })
  // From the command line: say what is allowed; from a variable, @effect/cli's text carries ours.
  const given = (why: string) =>
    refuse(values.length === 0 ? reasonOf(why) : `${flag.allowed} (got ${JSON.stringify(values.at(-1))})`)
  const malformed = values.find((value) => flag.pattern !== undefined && !flag.pattern.test(value))
  if (malformed !== undefined) return Effect.fail(refuse(`${flag.allowed} (got ${JSON.stringify(malformed)})`))
  const tokens = values.flatMap((value) => [`--${flag.name}`, value])
  return Options.processCommandLine(flag.option, tokens, CliConfig.defaultConfig).pipe(
    Effect.mapError((error) => given(HelpDoc.toAnsiText(error.error))),
    Effect.flatMap(([unparsed]) =>
      Option.match(unparsed, { onNone: () => Effect.void, onSome: () => Effect.fail(given("needs a value")) })
    )
  )
}

/**
 * `start`'s flags and variables, each checked before the command line is parsed, so that a bad
 * value stops the daemon with one line naming its flag (daemon.md), exit code 2.
 */
export const checkStartFlags = (argv: ReadonlyArray<string>) => {
  const args = argv.slice(2)
  // `baa-conductor --log-level debug start …` is a start too.
  const command = args[0] === "--log-level" ? args[2] : args[0]?.startsWith("--log-level=") ? args[1] : args[0]
  if (command !== "start" || args.includes("--help") || args.includes("-h")) return Effect.void
  const flags: ReadonlyArray<Flag<unknown>> = [...Object.values(FLAGS), {
    ...LOG_LEVEL,
    option: Options.optional(LOG_LEVEL.option)
  }]
  return Effect.forEach(flags, (flag) => checkFlag(flag, args), { discard: true })
}
