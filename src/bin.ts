#!/usr/bin/env -S node --max-semi-space-size=2 --v8-pool-size=1
// Node flags that can only be given on its command line; the installed bin runs with them from this
// line, `npm start` passes the same. V8 grows the young generation's semi-spaces to 16 MiB during
// start-up and never shrinks them (about 30 MB of an idle daemon). One V8 worker thread instead of
// four (they help GC and compilation, which a mostly idle daemon does little of) saves their
// allocator arenas and stacks, about 4 MB idle, at no measured cost (docs/benchmarks.md, "Memory").
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
