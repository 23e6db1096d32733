import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Duration, Effect } from "effect"
import WebSocket from "ws"
import { BIN, launchFlags, rssMiB, spawnServer } from "./processes.js"

/**
 * Resident memory of the built daemon (`node dist/src/bin.js start`) on an empty store: idle,
 * with 1,000 bridge clients connected (each said hello and got its ack), and after they left.
 * V8 gives the pages of a heap that shrank back only once its memory reducer has run, which it
 * does after several seconds of quiet, on its own schedule: so "after" is sampled every second
 * for a minute and reported at 20 s, and when it first came within 20 MB of idle. The daemon
 * runs as installed (the bin's node flags) and, for comparison, as plain `node bin.js`.
 */
const CLIENTS = 1_000
const OPENING_AT_ONCE = 50
const SETTLE = Duration.seconds(3)
const AFTER_LEAVING = 20
const WATCH_AFTER_LEAVING = 60
const BACK_WITHIN_MB = 20
const TOKEN = "bench-token"

/** One client: connects, says hello, resolves once acknowledged. */
const connect = (url: string, i: number) =>
  Effect.async<WebSocket, Error>((resume) => {
    const socket = new WebSocket(url)
    socket.on("open", () =>
      socket.send(JSON.stringify({ type: "hello", id: 1, client_id: `bench-client-${i}`, platforms: ["chatgpt"] })))
    socket.on("message", (data: Buffer) => {
      if ((JSON.parse(data.toString("utf8")) as { type?: string }).type === "hello_ack") {
        resume(Effect.succeed(socket))
      }
    })
    socket.on("error", (error) =>
      resume(Effect.fail(error)))
  })

const closeAll = (sockets: ReadonlyArray<WebSocket>) =>
  Effect.forEach(
    sockets,
    (socket) =>
      Effect.async<void>((resume) => {
        socket.once("close", () => resume(Effect.void))
        socket.close(1000)
      }),
    { concurrency: "unbounded", discard: true }
  )

const mib = (n: number) => `${n.toFixed(0)} MB`

export const name = "rss"

const measure = (label: string, nodeFlags: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const stateDir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-rss-" })
    const args = ["start", "--state-dir", stateDir, "--port", "0", "--token", TOKEN]
    const daemon = yield* spawnServer(BIN, args, /listening on (http:\/\/\S+)/, nodeFlags)
    const url = `${daemon.url.replace(/^http/, "ws")}/v1/browser/ws?token=${TOKEN}`
    yield* Effect.sleep(SETTLE)
    const idle = rssMiB(daemon.pid)

    const sockets = yield* Effect.forEach(Array.from({ length: CLIENTS }, (_, i) => i), (i) => connect(url, i), {
      concurrency: OPENING_AT_ONCE
    })
    yield* Effect.sleep(SETTLE)
    const connected = rssMiB(daemon.pid)

    yield* closeAll(sockets)
    // One sample per second after they left: index i is i + 1 seconds later.
    const after = yield* Effect.forEach(
      Array.from({ length: WATCH_AFTER_LEAVING }),
      () => Effect.map(Effect.sleep(Duration.seconds(1)), () => rssMiB(daemon.pid))
    )
    const at20 = after[AFTER_LEAVING - 1]!
    const back = after.findIndex((rss) => rss - idle <= BACK_WITHIN_MB)

    yield* Console.log(
      `  ${label}: idle ${mib(idle)}; with ${CLIENTS} clients ${mib(connected)} ` +
        `(${(((connected - idle) * 1024) / CLIENTS).toFixed(0)} KiB per client); ${AFTER_LEAVING} s after they ` +
        `left ${mib(at20)} (${at20 - idle >= 0 ? "+" : ""}${(at20 - idle).toFixed(0)} MB against idle); ` +
        (back === -1
          ? `not back within ${BACK_WITHIN_MB} MB of idle in ${WATCH_AFTER_LEAVING} s (lowest ${
            mib(Math.min(...after))
          })`
          : `back within ${BACK_WITHIN_MB} MB of idle ${back + 1} s after they left (${mib(after[back]!)})`)
    )
  }).pipe(Effect.scoped)

export const run = () =>
  Effect.gen(function*() {
    yield* Console.log(`rss: the built daemon on an empty store, ${CLIENTS} bridge clients`)
    yield* measure(`node ${[...launchFlags, "bin.js"].join(" ")} (as installed)`, launchFlags)
    yield* measure("node bin.js (no flags)", [])
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)
