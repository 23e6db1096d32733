import { Options } from "@effect/cli"
import { Config, Data, Effect, Option, type Redacted } from "effect"
import * as DaemonToken from "../daemon/DaemonToken.js"
import { DEFAULT_STATE_DIR, DEFAULT_URL } from "../services/ConductorConfig.js"

/** Missing or unusable input on the command line: said in one line, exit code 2. */
export class UsageError extends Data.TaggedError("UsageError")<{ readonly message: string }> {}

/** Options every client command takes: where the daemon is, how to prove who we are, how to print. */
export const connectionOptions = {
  url: Options.text("url").pipe(
    Options.withFallbackConfig(Config.string("BAA_URL")),
    Options.withDefault(DEFAULT_URL),
    Options.withDescription(`the daemon's address (env BAA_URL, default ${DEFAULT_URL})`)
  ),
  token: Options.redacted("token").pipe(
    Options.withFallbackConfig(Config.redacted("BAA_TOKEN")),
    Options.optional,
    Options.withDescription("the shared token (env BAA_TOKEN, default: read from <state-dir>/token)")
  ),
  stateDir: Options.text("state-dir").pipe(
    Options.withFallbackConfig(Config.string("BAA_STATE_DIR")),
    Options.withDefault(DEFAULT_STATE_DIR),
    Options.withDescription(`where to find the daemon's token file (env BAA_STATE_DIR, default ${DEFAULT_STATE_DIR})`)
  ),
  json: Options.boolean("json").pipe(Options.withDescription("print the answer's data as JSON instead of a table"))
}

export interface Connection {
  readonly url: string
  readonly token: Option.Option<Redacted.Redacted<string>>
  readonly stateDir: string
  readonly json: boolean
}

/** `--token` / `BAA_TOKEN`, else the token file the daemon keeps in its state dir. */
export const tokenFor = (connection: Connection) =>
  Option.match(connection.token, {
    onSome: Effect.succeed,
    onNone: () =>
      DaemonToken.read(connection.stateDir).pipe(
        Effect.catchAll((error) => Effect.fail(new UsageError({ message: String(error.message) }))),
        Effect.flatMap(Option.match({
          onSome: Effect.succeed,
          onNone: () =>
            Effect.fail(
              new UsageError({
                message:
                  `no token: give --token, set BAA_TOKEN, or point --state-dir at the daemon's state dir (looked in ${connection.stateDir}/token)`
              })
            )
        }))
      )
  })
