#!/usr/bin/env -S node --max-semi-space-size=2
// V8 grows the young generation's semi-spaces to 16 MiB during start-up and never shrinks them
// (about 30 MB of an idle daemon). The size can only be set on node's command line: the installed
// bin runs with it from this line, `npm start` passes the same flag.
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
