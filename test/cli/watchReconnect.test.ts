import { NodeContext } from "@effect/platform-node"
import { expect, it } from "@effect/vitest"
import { Console, Deferred, Effect, Fiber, Ref, TestClock } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { withExitCodes } from "../../src/cli/exitCodes.js"
import { run } from "../../src/cli/main.js"
import { RECONNECT_MS } from "../../src/cli/watchCommand.js"

const event = (seq: number, automation: string) =>
  `id: ${seq}\nevent: system.updated\ndata: ${
    JSON.stringify({ type: "system.updated", seq, at: 0, state: { automation } })
  }\n\n`

/** A daemon stand-in whose stream sends one event and ends, as a restarting daemon's would. */
const flakyDaemon = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly close: () => void; readonly connections: () => number }>((resume) => {
    let connections = 0
    const server = createServer((_request, response) => {
      connections++
      response.writeHead(200, { "content-type": "text/event-stream" })
      response.end(`: connected\n\n${event(connections, connections === 1 ? "paused" : "running")}`)
    })
    server.listen(0, "127.0.0.1", () =>
      resume(Effect.succeed({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.close(),
        connections: () => connections
      })))
  }),
  (daemon) => Effect.sync(daemon.close)
)

it.scoped("watch connects again after the stream drops, once the reconnect delay has passed", () =>
  Effect.gen(function*() {
    const daemon = yield* flakyDaemon
    const out = yield* Ref.make<ReadonlyArray<string>>([])
    const dropped = yield* Deferred.make<void>()
    const base = yield* Console.consoleWith(Effect.succeed)
    const capture: Console.Console = {
      ...base,
      log: (...parts) => Ref.update(out, (lines) => [...lines, parts.map(String).join(" ")]),
      error: (
        ...parts
      ) => (String(parts[0]).includes("disconnected") ? Deferred.succeed(dropped, undefined) : Effect.void)
    }
    const argv = ["node", "baa-conductor", "watch", "--count", "2", "--url", daemon.url, "--token", "t"]
    const fiber = yield* run(argv).pipe(
      withExitCodes,
      Effect.withConsole(capture),
      Effect.provide(NodeContext.layer),
      Effect.fork
    )
    yield* Deferred.await(dropped)
    expect(daemon.connections()).toBe(1)
    yield* TestClock.adjust(RECONNECT_MS)
    yield* Fiber.join(fiber)
    expect(daemon.connections()).toBe(2)
    const lines = yield* Ref.get(out)
    expect(lines.map((line) => line.replace(/^.*?#/, "#"))).toEqual([
      "#1  system.updated        automation paused",
      "#2  system.updated        automation running"
    ])
  }))
