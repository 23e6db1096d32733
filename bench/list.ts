import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import { Agent } from "node:http"
import { fileURLToPath } from "node:url"
import * as SqliteArtifactStore from "../src/layers/sqlite/SqliteArtifactStore.js"
import { ArtifactStore } from "../src/services/ArtifactStore.js"
import { combine, get, load, type LoadResult, percentile, rps } from "./load.js"
import { cpuSeconds, type Server, spawnDaemon, spawnServer } from "./processes.js"
import * as Seed from "./seed.js"

/**
 * `GET /v1/renewal/jobs?status=done&limit=20` on a million done jobs: the daemon against a raw
 * handler (plain node:http + better-sqlite3, same SQL, byte-identical JSON), both loaded by the
 * same closed-loop generator, in alternating rounds so load from elsewhere hits both alike.
 */
const MESSAGES = 1_000_000
const CONVERSATIONS = 100_000
const CONNECTIONS = 10
const ROUNDS = 5
const ROUND_SECONDS = 2
const QUERY = "/v1/renewal/jobs?status=done&limit=20"
const TOKEN = "bench-token"
const RAW = fileURLToPath(new URL("./rawListServer.js", import.meta.url))

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

    const daemon = yield* spawnDaemon(stateDir, TOKEN, ["--job-retention-days", "36500"])
    const raw = yield* spawnServer(RAW, [database, TOKEN], /listening on (http:\/\/\S+)/)
    const bytes = yield* sameAnswer(daemon, raw)
    yield* Console.log(
      `  GET ${QUERY}: ${bytes} bytes, identical from both; ${CONNECTIONS} connections, ${ROUNDS}×${ROUND_SECONDS} s each, alternating`
    )

    yield* load(daemon.url + QUERY, headers, CONNECTIONS, 1)
    yield* load(raw.url + QUERY, headers, CONNECTIONS, 1)
    const runs = { daemon: [] as Array<Run>, raw: [] as Array<Run> }
    for (let i = 0; i < ROUNDS; i++) {
      runs.daemon.push(yield* measured(daemon))
      runs.raw.push(yield* measured(raw))
    }
    const d = combine(runs.daemon.map((run) => run.result))
    const r = combine(runs.raw.map((run) => run.result))
    yield* line("daemon", d, cpuPerRequestMs(runs.daemon))
    yield* line("raw", r, cpuPerRequestMs(runs.raw))
    yield* Console.log(
      `  daemon / raw: ${(rps(d) / rps(r)).toFixed(2)}× the requests per second; ` +
        `${
          (cpuPerRequestMs(runs.raw) / cpuPerRequestMs(runs.daemon)).toFixed(2)
        }× by CPU per request (steadier on a busy machine)`
    )
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)
