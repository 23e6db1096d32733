import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { drain } from "./daemonDrain.js"
import * as PlainJob from "./plainjob.js"

/**
 * Drain of 10,000 due jobs by the built daemon through real WebSocket clients that answer at
 * once (`bench/daemonDrain.ts`), against plainjob's no-op drain of as many jobs, interleaved,
 * in one run.
 */
/** `BENCH_JOBS=<n>` tries a smaller backlog on a busy machine. */
const JOBS = Number(process.env.BENCH_JOBS ?? 10_000)
const ROUNDS = 3

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const list = (xs: ReadonlyArray<number>) => xs.map((x) => x.toFixed(0)).join(", ")

export const name = "ws-drain"

export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-ws-drain-" })
    const peer: Array<number> = []
    const ours: Array<number> = []
    for (let round = 0; round < ROUNDS; round++) {
      peer.push((yield* PlainJob.drain(yield* fs.makeTempDirectory({ directory: dir }), JOBS)).jobs_per_s)
      ours.push((yield* drain(dir, JOBS, [])).jobs_per_s)
    }
    yield* Console.log(
      `ws-drain: ${JOBS} due jobs, built daemon, WebSocket clients answering at once (medians of ${ROUNDS}, interleaved)`
    )
    yield* Console.log(`  plainjob 0.0.14 no-op:  ${median(peer).toFixed(0)} jobs/s  (${list(peer)})`)
    yield* Console.log(`  baa-conductor defaults: ${median(ours).toFixed(0)} jobs/s  (${list(ours)})`)
    yield* Console.log(`  ratio: ${(median(ours) / median(peer)).toFixed(2)}× plainjob (target ≥ 1×)`)
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)
