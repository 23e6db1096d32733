import { Command } from "@effect/cli"
import { VERSION } from "../layers/DaemonConfig.js"
import { bridgeSimCommand } from "./bridgeSim/index.js"
import { browserCommand } from "./browserCommand.js"
import { conversationsCommand } from "./conversationsCommand.js"
import { jobsCommand } from "./jobsCommand.js"
import { startCommand } from "./startCommand.js"
import { statusCommand } from "./statusCommand.js"
import { systemCommand } from "./systemCommand.js"

/** The whole command line: the daemon, the client commands and the bridge simulator. */
export const cli = Command.make("baa-conductor").pipe(
  Command.withDescription("keeps web-chat conversations going: the daemon and its command line"),
  Command.withSubcommands([
    startCommand,
    statusCommand,
    conversationsCommand,
    jobsCommand,
    browserCommand,
    systemCommand,
    bridgeSimCommand
  ])
)

/** Runs the command line on `argv` as Node gives it (`[node, script, ...args]`). */
export const run = Command.run(cli, { name: "baa-conductor", version: VERSION })
