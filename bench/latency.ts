import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect } from "effect"
import * as BenchClient from "./benchClient.js"
import { autoConversations, PACING_OFF, replyLatencies, summary, TOKEN, wsUrl } from "./daemonRun.js"
import { spawnDaemon } from "./processes.js"

/**
 * Reply → `browser.proxy_delivery` on loopback through the built daemon: an `auto` conversation,
 * settle delay 0, pacing off. The client sends `browser.final_message` and notes when the
 * delivery frame arrives; one reply at a time, each in its own conversation, so neither pacing
 * nor a conversation's previous job is what is measured. At two intervals, to show the
 * latency does not come from the timer.
 */
const REPLIES = 1_000
const INTERVALS = [5_000, 100]

const measure = (intervalMs: number) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const stateDir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-latency-" })
    const daemon = yield* spawnDaemon(stateDir, TOKEN, [
      ...PACING_OFF,
      "--settle-delay-ms",
      "0",
      "--interval-ms",
      String(intervalMs)
    ])
    const client = yield* BenchClient.open(wsUrl(daemon), "bench-latency")
    yield* autoConversations(daemon, client, "lat", REPLIES, 1)
    const conversations = Array.from({ length: REPLIES }, (_, i) => `lat-${i}`)
    // A short warm-up round, then the measured one.
    yield* replyLatencies(client, conversations.slice(0, 100), 1, "warm")
    return yield* replyLatencies(client, conversations, 1, "measured")
  }).pipe(Effect.scoped)

export const name = "latency"

export const run = () =>
  Effect.gen(function*() {
    yield* Console.log(`latency: reply → delivery over loopback, auto conversations, settle 0, pacing off`)
    for (const intervalMs of INTERVALS) {
      const ms = yield* measure(intervalMs)
      yield* Console.log(`  --interval-ms ${String(intervalMs).padEnd(5)} ${summary(ms)}`)
    }
  }).pipe(Effect.provide(NodeContext.layer), Effect.orDie)
