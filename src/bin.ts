#!/usr/bin/env node
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import { teardown, withExitCodes } from "./cli/exitCodes.js"
import { run } from "./cli/main.js"

run(process.argv).pipe(
  withExitCodes,
  Effect.provide(NodeContext.layer),
  (program) => NodeRuntime.runMain(program, { disableErrorReporting: true, teardown })
)
