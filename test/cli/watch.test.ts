import { NodeContext } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { Console, Deferred, Effect, Fiber, Ref } from "effect"
import { withExitCodes } from "../../src/cli/exitCodes.js"
import { run } from "../../src/cli/main.js"
import { post } from "../http/client.js"
import { BaseUrl, TOKEN } from "../http/harness.js"
import * as Harness from "../http/harness.js"
import * as Seed from "../http/seed.js"
import { cli } from "./runCli.js"

/** `watch` in-process: its output so far, and a signal once it is subscribed. */
const startWatch = (args: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const url = yield* BaseUrl
    const out = yield* Ref.make<ReadonlyArray<string>>([])
    const subscribed = yield* Deferred.make<void>()
    const base = yield* Console.consoleWith(Effect.succeed)
    const capture: Console.Console = {
      ...base,
      log: (...parts) => Ref.update(out, (lines) => [...lines, parts.map(String).join(" ")]),
      error: (...parts) =>
        String(parts[0]).startsWith("watching ") ? Deferred.succeed(subscribed, undefined) : Effect.void
    }
    const argv = ["node", "baa-conductor", "watch", ...args, "--url", url, "--token", TOKEN]
    const fiber = yield* run(argv).pipe(
      withExitCodes,
      Effect.withConsole(capture),
      Effect.provide(NodeContext.layer),
      Effect.fork
    )
    yield* Deferred.await(subscribed)
    return { fiber, out }
  })

layer(Harness.layer, { excludeTestServices: true })("watch and messages", (it) => {
  it.effect("watch prints one readable line per event, filtered by --types, and stops after --count", () =>
    Effect.gen(function*() {
      const { fiber, out } = yield* startWatch(["--types", "system.updated,conversation.updated", "--count", "3"])
      const { conversation } = yield* Seed.conversation()
      yield* post("/v1/system/pause")
      yield* post("/v1/system/resume")
      yield* Fiber.join(fiber)
      const lines = yield* Ref.get(out)
      expect(lines).toHaveLength(3)
      expect(lines[0]).toMatch(
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\d \\S+Z  #\\d+  conversation\\.updated +${conversation.local_conversation_id} chatgpt manual$`
        )
      )
      expect(lines[1]).toMatch(/#\d+ {2}system\.updated +automation paused$/)
      expect(lines[2]).toMatch(/#\d+ {2}system\.updated +automation running$/)
    }))

  it.effect("watch --json prints the events as sent", () =>
    Effect.gen(function*() {
      const { fiber, out } = yield* startWatch(["--json", "--types", "system.updated", "--count", "1"])
      yield* post("/v1/system/drain")
      yield* Fiber.join(fiber)
      yield* post("/v1/system/resume")
      const [line] = yield* Ref.get(out)
      expect(JSON.parse(line!)).toMatchObject({ type: "system.updated", state: { automation: "draining" } })
    }))

  it.effect("watch with a wrong token or an unknown type fails at once", () =>
    Effect.gen(function*() {
      const refused = yield* cli(["watch", "--url", yield* BaseUrl, "--token", "wrong"], { bare: true })
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain("a valid token is required")
      const unknown = yield* cli(["watch", "--types", "nonsense"])
      expect(unknown.code).toBe(1)
      expect(unknown.stderr).toContain("types: must be")
    }))

  it.effect("messages list prints the decision of each message, or JSON with the total", () =>
    Effect.gen(function*() {
      const { conversation, message } = yield* Seed.conversation({ platform: "deepseek" })
      const table = yield* cli(["messages", "list", "--platform", "deepseek"])
      expect(table.code).toBe(0)
      expect(table.stdout).toMatch(/^SEQ\s+MESSAGE\s+CONVERSATION\s+ROLE\s+DECISION/)
      expect(table.stdout).toContain(message.id)
      expect(table.stdout).toContain("undecided")
      const json = yield* cli([
        "messages",
        "list",
        "--conversation",
        conversation.local_conversation_id,
        "--decision",
        "undecided",
        "--json"
      ])
      expect(JSON.parse(json.stdout)).toMatchObject({ count: 1, total: 1, messages: [{ message_id: message.id }] })
    }))
})
