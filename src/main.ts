import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect } from "effect"
import { teardown, withExitCodes } from "./cli/exitCodes.js"
import { run } from "./cli/main.js"

/**
 * The whole command line: `baa-conductor <command> …` until it ends. Bundled on its own
 * (`dist/src/main.cjs`) and started by the bin (`src/bin.ts`) through its code cache.
 */
export const main = (argv: ReadonlyArray<string>): void =>
  run(argv).pipe(
    withExitCodes,
    Effect.provide(NodeContext.layer),
    (program) => NodeRuntime.runMain(program, { disableErrorReporting: true, teardown })
  )
