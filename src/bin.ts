#!/usr/bin/env node
import { Command } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Effect } from "effect"
import { bridgeSimCommand } from "./cli/bridgeSim/index.js"
import { teardown, withExitCodes } from "./cli/exitCodes.js"
import { startCommand } from "./cli/startCommand.js"
import { VERSION } from "./layers/DaemonConfig.js"

const cli = Command.make("baa-conductor").pipe(
  Command.withDescription("keeps web-chat conversations going: the daemon and its command line"),
  Command.withSubcommands([startCommand, bridgeSimCommand])
)

const run = Command.run(cli, { name: "baa-conductor", version: VERSION })

run(process.argv).pipe(
  withExitCodes,
  Effect.provide(NodeContext.layer),
  (program) => NodeRuntime.runMain(program, { disableErrorReporting: true, teardown })
)
