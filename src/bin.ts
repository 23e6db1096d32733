#!/usr/bin/env -S node --max-semi-space-size=2 --optimize-for-size --v8-pool-size=1
// Node flags that can only be given on its command line; the installed bin runs with them from this
// line, `npm start` passes the same. V8 grows the young generation's semi-spaces to 16 MiB during
// start-up and never shrinks them (about 30 MB of an idle daemon). `--optimize-for-size` makes V8
// keep smaller heaps and caches (about 10 MB idle); one V8 worker thread instead of four saves the
// threads' allocator arenas (about 3 MB). Their cost in speed is measured in docs/benchmarks.md.
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
