import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect } from "effect"
import * as BenchClient from "./benchClient.js"
import { autoConversations, PACING_OFF, quantile, replyLatencies, summary, TOKEN, wsUrl } from "./daemonRun.js"
import { spawnDaemon } from "./processes.js"

/**
 * One silent client (it never answers, so each of its deliveries is held until its timeout)
 * beside a healthy one with 100 `auto` conversations: the healthy replies' reply → delivery
 * latency without the silent client's deliveries out, then with them, in one daemon run (500
 * replies each).
 */
const HEALTHY = 100
const SILENT = 10
// Rounds of one reply per healthy conversation: 500 samples, so the p99 is not the one slowest.
const ROUNDS = 5

const rounds = (client: BenchClient.BenchClient, conversations: ReadonlyArray<string>, label: string) =>
  Effect.map(
    Effect.forEach(Array.from({ length: ROUNDS }, (_, r) => `${label}${r}`), (round) =>
      replyLatencies(client, conversations, 1, round)),
    (all) =>
      all.flat()
  )

export const name = "silent"

export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const stateDir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-silent-" })
    const daemon = yield* spawnDaemon(stateDir, TOKEN, [...PACING_OFF, "--settle-delay-ms", "0"])
    const healthy = yield* BenchClient.open(wsUrl(daemon), "bench-healthy")
    yield* autoConversations(daemon, healthy, "ok", HEALTHY, 1)
    // The silent client answers its set-up deliveries, then goes quiet.
    const silentSetUp = yield* BenchClient.open(wsUrl(daemon), "bench-silent")
    yield* autoConversations(daemon, silentSetUp, "mute", SILENT, 1_000)
    const conversations = Array.from({ length: HEALTHY }, (_, i) => `ok-${i}`)

    yield* replyLatencies(healthy, conversations, 1, "warm")
    const alone = yield* rounds(healthy, conversations, "alone")
    // Same client id: the new connection replaces the answering one, and never answers.
    const silent = yield* BenchClient.open(wsUrl(daemon), "bench-silent", "silent")
    for (let i = 0; i < SILENT; i++) {
      yield* Effect.promise(() => BenchClient.reply(silent, `mute-${i}`, `mute-${i}-held`, 1_000 + i))
    }
    while (silent.count() < SILENT) yield* Effect.sleep("10 millis")
    const beside = yield* rounds(healthy, conversations, "beside")
    const held = silent.count()

    yield* Console.log(
      `silent: ${HEALTHY} healthy auto conversations; then ${held} deliveries held by a client that never answers`
    )
    yield* Console.log(`  healthy alone:          ${summary(alone)}`)
    yield* Console.log(`  beside the silent one:  ${summary(beside)}`)
    yield* Console.log(
      `  p99 with / without: ${(quantile(beside, 0.99) / quantile(alone, 0.99)).toFixed(2)}× (target ≤ 2×)`
    )
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)
