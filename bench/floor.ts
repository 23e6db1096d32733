import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { Console, Effect, Layer } from "effect"
import { fork } from "node:child_process"
import { fileURLToPath } from "node:url"
import { type WebSocket, WebSocketServer } from "ws"
import type { ProxyDeliveryFrame } from "../src/domain/frames.js"
import * as SqliteArtifactStore from "../src/layers/sqlite/SqliteArtifactStore.js"
import { benchEnv } from "./dispatcher.js"
import { JOBS, seedAuto, timedDrain } from "./pipeline.js"
import * as PlainJob from "./plainjob.js"
import * as SqlRecorder from "./sqlRecorder.js"

const ROUNDS = Number(process.env["BENCH_ROUNDS"] ?? 3)
const SETTINGS = [{ batch: 10, inFlight: 32 }, { batch: 1_000, inFlight: 1_000 }]
/** As the ws-drain section: five clients, the default bound on deliveries in flight. */
const CLIENTS = 5
const IN_FLIGHT = 32

/** `JOBS` due jobs in a file of their own, checkpointed, to be copied before each use. */
const seeded = (file: string) =>
  Effect.gen(function*() {
    yield* seedAuto(JOBS)
    const sql = yield* SqlClient.SqlClient
    yield* sql`PRAGMA wal_checkpoint(TRUNCATE)`
  }).pipe(Effect.provide(Layer.orDie(SqliteArtifactStore.layer({ filename: file }))))

/**
 * The SQL floor: the pipeline's drain of the seeded jobs is run once with every statement
 * recorded, then the same statements are run again, in order, on a copy of the seeded file,
 * straight on better-sqlite3 with no program around them. Jobs per second of that replay is
 * what the drain could reach if everything but its SQL were free.
 */
const sqlFloor = (dir: string, seed: string, batch: number, inFlight: number) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const drained = path.join(dir, `drained-${batch}.db`)
    const replayed = path.join(dir, `replayed-${batch}.db`)
    yield* fs.copyFile(seed, drained)
    yield* fs.copyFile(seed, replayed)
    const recording = SqlRecorder.record((sql) => sql.startsWith("SELECT 1 FROM renewal_jobs WHERE status IN"))
    yield* timedDrain(`floor-${batch}x${inFlight}`).pipe(
      Effect.withTracerEnabled(false),
      Effect.provide(benchEnv(dir, batch, path.basename(drained), { maxInFlight: inFlight, intervalMs: 5000 })),
      Effect.ensuring(Effect.sync(() => recording.stop()))
    )
    const executed = recording.stop()
    const ms = SqlRecorder.replay(replayed, executed)
    return { jobs_per_s: (JOBS / ms) * 1000, statements: executed.length }
  })

/**
 * The WebSocket floor: `JOBS` delivery frames to plain `ws` clients in another process that
 * answer at once, `IN_FLIGHT` at a time, with nothing else on either side. Round trips per
 * second is what the bridge could carry if the daemon's own work were free.
 */
const wsFloor = Effect.acquireUseRelease(
  Effect.async<WebSocketServer>((resume) => {
    const server = new WebSocketServer({ host: "127.0.0.1", port: 0 })
    server.on("listening", () => resume(Effect.succeed(server)))
  }),
  (server) =>
    Effect.async<number>((resume) => {
      const { port } = server.address() as { port: number }
      const sockets: Array<WebSocket> = []
      let sent = 0
      let answered = 0
      let start = 0
      const client = fork(fileURLToPath(new URL("wsFloorClient.js", import.meta.url)), [
        `ws://127.0.0.1:${port}`,
        String(CLIENTS)
      ])
      const pump = () => {
        while (sent - answered < IN_FLIGHT && sent < JOBS) {
          const i = sent++
          // The frame the daemon sends, field for field (`ProxyDeliveryFrame`).
          const frame: typeof ProxyDeliveryFrame.Encoded = {
            type: "browser.proxy_delivery",
            request_id: `req_${i}`,
            plan_id: `plan_job_${i}`,
            platform: "chatgpt",
            conversation_id: `conv-${i}`,
            organization_id: null,
            tab_id: i + 1,
            page_url: `https://chatgpt.com/c/conv-${i}`,
            page_title: "A chat",
            assistant_message_id: `msg-${i}`,
            message_text: `[renewal] a reply\nhttps://chatgpt.com/c/conv-${i}`,
            timeout_ms: 20_000
          }
          sockets[i % CLIENTS]!.send(JSON.stringify(frame))
        }
      }
      server.on("connection", (socket) => {
        sockets.push(socket)
        socket.on("message", (data: Buffer) => {
          const frame = JSON.parse(data.toString("utf8")) as { type: string }
          if (frame.type !== "action_result") return
          if (++answered === JOBS) {
            client.kill()
            resume(Effect.succeed((JOBS / (performance.now() - start)) * 1000))
          } else pump()
        })
        if (sockets.length === CLIENTS) {
          start = performance.now()
          pump()
        }
      })
      return Effect.sync(() => client.kill())
    }),
  (server) => Effect.async<void>((resume) => server.close(() => resume(Effect.void)))
)

const median = (xs: ReadonlyArray<number>) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0
const fmt = (n: number) => n.toFixed(0)

/**
 * What the drains could reach at best, measured beside plainjob in one run: the SQL a drain
 * runs, replayed with nothing around it, at the defaults and at batch 1,000; and plain
 * WebSocket round trips of a delivery and its answer. The two together bound the WebSocket
 * drain, whose daemon thread does both.
 */
export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-floor-" })
    const seed = path.join(dir, "seed.db")
    yield* seeded(seed)
    const peer: Array<number> = []
    const sql = SETTINGS.map((): Array<number> => [])
    const ws: Array<number> = []
    let statements = SETTINGS.map(() => 0)
    for (let round = 0; round < ROUNDS; round++) {
      const roundDir = path.join(dir, `r${round}`)
      yield* fs.makeDirectory(roundDir)
      peer.push((yield* PlainJob.drain(roundDir, JOBS)).jobs_per_s)
      const floors = yield* Effect.forEach(SETTINGS, ({ batch, inFlight }) => sqlFloor(roundDir, seed, batch, inFlight))
      floors.forEach((floor, i) => sql[i]!.push(floor.jobs_per_s))
      statements = floors.map((floor) => floor.statements)
      ws.push(yield* wsFloor)
    }
    const plain = median(peer)
    const ratio = (n: number) => `${(n / plain).toFixed(2)}x plainjob`
    yield* Console.log(`floor: what a drain of ${JOBS} jobs could reach with its own work free (medians of ${ROUNDS})`)
    yield* Console.log(`  plainjob 0.0.14 no-op: ${fmt(plain)} jobs/s  (${peer.map(fmt).join(", ")})`)
    for (const [i, { batch, inFlight }] of SETTINGS.entries()) {
      yield* Console.log(
        `  SQL of the drain at batch ${batch}, ${inFlight} in flight (${statements[i]} statements), replayed alone: ${
          fmt(median(sql[i]!))
        } jobs/s, ${ratio(median(sql[i]!))}`
      )
    }
    const round = median(ws)
    yield* Console.log(`  WebSocket round trips, ${IN_FLIGHT} in flight, ${CLIENTS} clients: ${fmt(round)}/s`)
    const both = 1 / (1 / median(sql[0]!) + 1 / round)
    yield* Console.log(`  both on one thread at the defaults (bound on ws-drain): ${fmt(both)} jobs/s, ${ratio(both)}`)
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)

export const name = "floor"
