import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Agent } from "node:http"
import { fileURLToPath } from "node:url"
import * as SqliteArtifactStore from "../src/layers/sqlite/SqliteArtifactStore.js"
import { ArtifactStore } from "../src/services/ArtifactStore.js"
import { combine, get, load, type LoadResult, percentile, rps } from "./load.js"
import { BIN, cpuSeconds, launchFlagsOf, type Server, spawnServer } from "./processes.js"
import * as Seed from "./seed.js"

/**
 * `GET /v1/renewal/jobs?status=done&limit=20` on a million done jobs: the daemon against a raw
 * handler (plain node:http + better-sqlite3, same SQL, byte-identical JSON), both loaded by the
 * same closed-loop generator, in alternating rounds so load from elsewhere hits both alike.
 * `BENCH_LIST_BINS="a.js b.js"` runs those builds instead of this one (each on its own copy of
 * the store, with its own bin's node flags), all in the same rounds.
 */
const MESSAGES = 1_000_000
const CONVERSATIONS = 100_000
const CONNECTIONS = 10
const ROUNDS = 5
const ROUND_SECONDS = 2
const QUERY = "/v1/renewal/jobs?status=done&limit=20"
const TOKEN = "bench-token"
const RAW = fileURLToPath(new URL("./rawListServer.js", import.meta.url))
const BINS = (process.env.BENCH_LIST_BINS ?? "").split(" ").filter((bin) => bin !== "")

const headers = { authorization: `Bearer ${TOKEN}` }

type Run = Effect.Effect.Success<ReturnType<typeof measured>>

/** The two bodies must agree byte for byte once the request ids are set aside. */
const sameAnswer = (daemon: Server, raw: Server) =>
  Effect.promise(async () => {
    const agent = new Agent({ keepAlive: false })
    const [a, b] = await Promise.all([get(agent, daemon.url + QUERY, headers), get(agent, raw.url + QUERY, headers)])
    const strip = (body: string) => body.replace(/"request_id":"[^"]*"/, `"request_id":""`)
    if (strip(a.body) !== strip(b.body) || a.contentType !== b.contentType) {
      throw new Error(
        `the raw handler does not answer like the daemon:\n${a.body.slice(0, 600)}\n${b.body.slice(0, 600)}`
      )
    }
    return a.body.length
  })

/** A load run with the CPU time the server process spent meanwhile. */
const measured = (server: Server) =>
  Effect.gen(function*() {
    const before = cpuSeconds(server.pid)
    const result = yield* load(server.url + QUERY, headers, CONNECTIONS, ROUND_SECONDS)
    return { result, cpu: cpuSeconds(server.pid) - before }
  })

const cpuPerRequestMs = (runs: ReadonlyArray<{ readonly result: LoadResult; readonly cpu: number }>) =>
  (runs.reduce((n, r) => n + r.cpu, 0) * 1000) / runs.reduce((n, r) => n + r.result.requests, 0)

const line = (label: string, r: LoadResult, cpuMs: number) =>
  Console.log(
    `  ${label.padEnd(8)}${rps(r).toFixed(0).padStart(8)} rps   p50 ${percentile(r, 0.5).toFixed(2)} ms   ` +
      `p99 ${percentile(r, 0.99).toFixed(2)} ms   server CPU ${cpuMs.toFixed(2)} ms per request`
  )

export const name = "list"

export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const stateDir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-list-" })
    const database = path.join(stateDir, "conductor.db")
    const started = performance.now()
    // The history is already projected and kept: otherwise the daemon would spend the measurement
    // projecting a million messages and pruning a million old jobs.
    const projected = Effect.flatMap(ArtifactStore, (store) => store.commitProjection(MESSAGES, []))
    yield* Seed.conversations(CONVERSATIONS).pipe(
      Effect.zipRight(Seed.history(MESSAGES, CONVERSATIONS)),
      Effect.zipRight(projected),
      Effect.provide(Layer.orDie(SqliteArtifactStore.layer({ filename: database })))
    )
    yield* Console.log(`list: ${MESSAGES} done jobs seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`)

    const daemons: Array<{ readonly label: string; readonly server: Server }> = []
    for (const bin of BINS.length > 0 ? BINS : [BIN]) {
      // One state directory per daemon (each locks its own), the seeded store copied into it.
      const own = daemons.length === 0 ? stateDir : yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-list-" })
      if (own !== stateDir) yield* fs.copyFile(database, path.join(own, "conductor.db"))
      const args = ["start", "--state-dir", own, "--port", "0", "--token", TOKEN, "--job-retention-days", "36500"]
      const server = yield* spawnServer(bin, args, /listening on (http:\/\/\S+)/, launchFlagsOf(bin))
      daemons.push({ label: BINS.length > 0 ? bin : "daemon", server })
    }
    const raw = yield* spawnServer(RAW, [database, TOKEN], /listening on (http:\/\/\S+)/)
    let bytes = 0
    for (const { server } of daemons) bytes = yield* sameAnswer(server, raw)
    yield* Console.log(
      `  GET ${QUERY}: ${bytes} bytes, identical from both; ${CONNECTIONS} connections, ${ROUNDS}×${ROUND_SECONDS} s each, alternating`
    )

    for (const { server } of [...daemons, { server: raw }]) yield* load(server.url + QUERY, headers, CONNECTIONS, 1)
    const runs = daemons.map(() => [] as Array<Run>)
    const rawRuns: Array<Run> = []
    for (let i = 0; i < ROUNDS; i++) {
      for (const [j, { server }] of daemons.entries()) runs[j]!.push(yield* measured(server))
      rawRuns.push(yield* measured(raw))
    }
    const r = combine(rawRuns.map((run) => run.result))
    for (const [j, { label }] of daemons.entries()) {
      const d = combine(runs[j]!.map((run) => run.result))
      yield* line(label, d, cpuPerRequestMs(runs[j]!))
      yield* Console.log(
        `  ${label} / raw: ${(rps(d) / rps(r)).toFixed(2)}× the requests per second; ` +
          `${
            (cpuPerRequestMs(rawRuns) / cpuPerRequestMs(runs[j]!)).toFixed(2)
          }× by CPU per request (steadier on a busy machine)`
      )
    }
    yield* line("raw", r, cpuPerRequestMs(rawRuns))
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)
