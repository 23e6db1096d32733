import { NodeContext } from "@effect/platform-node"
import { Console, Effect, Exit, Ref } from "effect"
import { withExitCodes } from "../../src/cli/exitCodes.js"
import { run } from "../../src/cli/main.js"
import { BaseUrl, TOKEN } from "../http/harness.js"

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs the command line in-process against the server under test (`--url` and `--token` added
 * unless `bare`), capturing what it prints and the exit code it would end with.
 */
export const cli = (args: ReadonlyArray<string>, options: { readonly bare?: boolean } = {}) =>
  Effect.gen(function*() {
    const url = yield* BaseUrl
    const out = yield* Ref.make<ReadonlyArray<string>>([])
    const err = yield* Ref.make<ReadonlyArray<string>>([])
    const base = yield* Console.consoleWith(Effect.succeed)
    const line = (parts: ReadonlyArray<unknown>) => parts.map(String).join(" ")
    const capture: Console.Console = {
      ...base,
      log: (...parts) => Ref.update(out, (lines) => [...lines, line(parts)]),
      error: (...parts) => Ref.update(err, (lines) => [...lines, line(parts)])
    }
    const argv = ["node", "baa-conductor", ...args, ...(options.bare ? [] : ["--url", url, "--token", TOKEN])]
    const exit = yield* run(argv).pipe(
      withExitCodes,
      Effect.withConsole(capture),
      Effect.provide(NodeContext.layer),
      Effect.exit
    )
    const code = Exit.match(exit, {
      onSuccess: () => 0,
      onFailure: (cause) => (cause._tag === "Fail" ? cause.error.code : 1)
    })
    const result: CliResult = {
      code,
      stdout: (yield* Ref.get(out)).join("\n"),
      stderr: (yield* Ref.get(err)).join("\n")
    }
    return result
  })
