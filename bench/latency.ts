import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect } from "effect"
import * as BenchClient from "./benchClient.js"
import { autoConversations, PACING_OFF, replyLatencies, summary, TOKEN, wsUrl } from "./daemonRun.js"
import { BIN, launchFlagsOf, spawnServer } from "./processes.js"

/**
 * Reply → `browser.proxy_delivery` on loopback through the built daemon: an `auto` conversation,
 * settle delay 0, pacing off. The client sends `browser.final_message` and notes when the
 * delivery frame arrives; one reply at a time, each in its own conversation, so neither pacing
 * nor a conversation's previous job is what is measured. Two daemons, at two intervals, to show
 * the latency does not come from the timer; they run side by side and take turns in rounds of
 * `ROUND` replies, so the machine's load and the bench's own warm-up land on both alike.
 * `BENCH_LATENCY_BINS="a.js b.js"` compares two builds at the first interval instead.
 */
const REPLIES = Number(process.env.BENCH_LATENCY_REPLIES ?? 1_000)
const ROUND = 100
const INTERVALS = [5_000, 100]
const BINS = (process.env.BENCH_LATENCY_BINS ?? "").split(" ").filter((bin) => bin !== "")

interface Variant {
  readonly label: string
  readonly bin: string
  readonly intervalMs: number
}

const variants: ReadonlyArray<Variant> = BINS.length > 0
  ? BINS.map((bin) => ({ label: `${bin} --interval-ms ${INTERVALS[0]}`, bin, intervalMs: INTERVALS[0]! }))
  : INTERVALS.map((intervalMs) => ({ label: `--interval-ms ${String(intervalMs).padEnd(5)}`, bin: BIN, intervalMs }))

const start = (variant: Variant) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const stateDir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-latency-" })
    const daemon = yield* spawnServer(
      variant.bin,
      [
        "start",
        "--state-dir",
        stateDir,
        "--port",
        "0",
        "--token",
        TOKEN,
        ...PACING_OFF,
        "--settle-delay-ms",
        "0",
        "--interval-ms",
        String(variant.intervalMs)
      ],
      /listening on (http:\/\/\S+)/,
      // Each build as installed, with its own bin's flags (its code cache is made under them).
      launchFlagsOf(variant.bin)
    )
    const client = yield* BenchClient.open(wsUrl(daemon), "bench-latency")
    yield* autoConversations(daemon, client, "lat", REPLIES, 1)
    const conversations = Array.from({ length: REPLIES }, (_, i) => `lat-${i}`)
    // A short warm-up round, then the measured ones.
    yield* replyLatencies(client, conversations.slice(0, ROUND), 1, "warm")
    return { client, conversations }
  })

export const name = "latency"

export const run = () =>
  Effect.gen(function*() {
    yield* Console.log(`latency: reply → delivery over loopback, auto conversations, settle 0, pacing off`)
    const daemons = yield* Effect.forEach(variants, start)
    const samples = variants.map((): Array<number> => [])
    for (let from = 0; from < REPLIES; from += ROUND) {
      for (const [i, { client, conversations }] of daemons.entries()) {
        const round = conversations.slice(from, from + ROUND)
        samples[i]!.push(...(yield* replyLatencies(client, round, 1 + from, "measured")))
      }
    }
    for (const [i, variant] of variants.entries()) yield* Console.log(`  ${variant.label} ${summary(samples[i]!)}`)
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)
