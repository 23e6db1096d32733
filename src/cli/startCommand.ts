import { Command, Options } from "@effect/cli"
import type { Option } from "effect"
import * as Daemon from "../layers/Daemon.js"
import { envName, FLAG_NAMES, FLAGS, type Flag } from "../layers/DaemonFlags.js"

// Taken raw: `DaemonConfig.resolve` validates flag and environment alike, naming the flag on error.
const options = Object.fromEntries(
  FLAG_NAMES.map((flag) => [
    flag,
    Options.text(flag).pipe(Options.withDescription(`${FLAGS[flag].describe} [env ${envName(flag)}]`), Options.optional)
  ])
) as { readonly [K in Flag]: Options.Options<Option.Option<string>> }

/** `baa-conductor start`: the daemon, until SIGINT or SIGTERM. */
export const startCommand = Command.make("start", options, Daemon.start).pipe(
  Command.withDescription("run the daemon: the store, the renewal programs, the HTTP API and the browser bridge")
)
