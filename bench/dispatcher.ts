import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { Console, Effect, Layer } from "effect"
import {
  BatchId,
  ClientId,
  ConnectionId,
  MessageId,
  RemoteConversationId,
  RequestId,
  routeOf
} from "../src/domain/index.js"
import * as JsonlRenewalLog from "../src/layers/JsonlRenewalLog.js"
import * as SqliteArtifactStore from "../src/layers/sqlite/SqliteArtifactStore.js"
import * as SqliteJobHousekeeping from "../src/layers/sqlite/SqliteJobHousekeeping.js"
import * as WakeupsLive from "../src/layers/WakeupsLive.js"
import * as Dispatcher from "../src/programs/dispatcher/Dispatcher.js"
import { ArtifactStore } from "../src/services/ArtifactStore.js"
import { BrowserBridge } from "../src/services/BrowserBridge.js"
import { ConductorConfig, defaultRenewalSettings, type RenewalSettings } from "../src/services/ConductorConfig.js"
import { defaultRetentionSettings, RetentionSettings } from "../src/services/Retention.js"
import type { TickContext } from "../src/services/TimedJobs.js"
import * as Seed from "./seed.js"

/** A bridge that accepts every delivery at once: the bench measures the daemon, not a browser. */
const instantBridge = Layer.succeed(BrowserBridge, {
  deliver: () =>
    Effect.succeed({
      request_id: RequestId.make("req_bench"),
      connection_id: ConnectionId.make("conn_bench"),
      duplicate: false,
      received_at: null
    }),
  clients: Effect.succeed([])
})

const config = (maxTasksPerTick: number, overrides: Partial<RenewalSettings> = {}) =>
  Layer.succeed(ConductorConfig, {
    renewal: { ...defaultRenewalSettings(), maxTasksPerTick, ...overrides },
    node: { nodeId: "bench", role: "primary", runId: "bench-run", startedAt: 0, version: "bench" }
  })

const context = (n: number, maxTasksPerTick: number): TickContext => ({
  batch_id: BatchId.make(`batch_bench_${n}`),
  trigger: "manual",
  interval_ms: 5000,
  max_messages_per_tick: 10,
  max_tasks_per_tick: maxTasksPerTick,
  settle_delay_ms: 0,
  log_dir: "",
  node_id: "bench",
  role: "primary"
})

/** `count` auto conversations with one due job each, so every claim can take a full batch. */
export const seedDueJobs = (count: number, prefix = "bench") =>
  Effect.gen(function*() {
    const store = yield* ArtifactStore
    for (let i = 0; i < count; i++) {
      const conversation = `${prefix}_conv_${i}`
      const page_url = `https://chatgpt.com/c/${conversation}`
      const route = routeOf("chatgpt", page_url)
      const seen = yield* store.recordObservation({
        message: {
          id: MessageId.make(`${prefix}_msg_${i}`),
          platform: "chatgpt",
          conversation_id: RemoteConversationId.make(conversation),
          role: "assistant",
          raw_text: "a reply",
          observed_at: 0
        },
        default_status: "auto",
        link: {
          client_id: ClientId.make("bench-client"),
          page_url,
          page_title: null,
          route_path: route.path,
          route_pattern: route.pattern,
          route_params: route.params,
          target_kind: "browser.proxy_delivery",
          target_id: `tab:${i + 1}`,
          target_payload: { client_id: "bench-client", conversation_id: conversation, page_url, tab_id: i + 1 },
          observed_at: 0
        }
      })
      yield* store.insertJob({
        local_conversation_id: seen.conversation.local_conversation_id,
        message_id: seen.message.id,
        payload_kind: "text",
        payload: "[renewal] a reply",
        target_snapshot: null,
        max_attempts: 3,
        next_attempt_at: 0
      })
    }
  }).pipe(Effect.orDie)

const timed = <A, E, R>(self: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const start = performance.now()
    const value = yield* self
    return { value, ms: performance.now() - start }
  })

/** Ticks until the store has nothing due; returns ticks, wall time and the slowest tick. */
const drain = (maxTasksPerTick: number) =>
  Effect.gen(function*() {
    const { runner } = yield* Dispatcher.make
    let ticks = 0
    let delivered = 0
    let slowest = 0
    const start = performance.now()
    for (;;) {
      const { value, ms } = yield* timed(runner.tick(context(ticks, maxTasksPerTick)))
      ticks++
      slowest = Math.max(slowest, ms)
      delivered += Number(value.details["successful_jobs"] ?? 0)
      if (value.result === "idle") break
    }
    return { ticks, delivered, ms: performance.now() - start, slowest }
  })

/** Mean cost of a tick that finds nothing to do. */
const idleTick = (samples: number) =>
  Effect.gen(function*() {
    const { runner } = yield* Dispatcher.make
    const { ms } = yield* timed(
      Effect.forEach(Array.from({ length: samples }, (_, i) => i), (i) => runner.tick(context(i, 10)))
    )
    return ms / samples
  })

/** Everything a dispatcher needs, on a store in `dir`, with its log files there too. */
export const benchEnv = (
  dir: string,
  maxTasksPerTick: number,
  filename = "conductor.db",
  overrides: Partial<RenewalSettings> = {}
) =>
  Layer.mergeAll(
    SqliteJobHousekeeping.layer.pipe(
      // WAL checkpoints off the thread, as the daemon runs them.
      Layer.provideMerge(
        SqliteArtifactStore.layer({ filename: `${dir}/${filename}`, backgroundCheckpoints: true }).pipe(Layer.orDie)
      )
    ),
    Layer.succeed(RetentionSettings, defaultRetentionSettings),
    JsonlRenewalLog.layer(dir),
    instantBridge,
    WakeupsLive.layer,
    config(maxTasksPerTick, overrides)
  ).pipe(Layer.provideMerge(NodeContext.layer))

const fmt = (n: number, digits = 1) => n.toFixed(digits)

/** Drains `jobs` due jobs at a given batch size and reports jobs/s and tick cost. */
export const drainReport = (dir: string, jobs: number, maxTasksPerTick: number) =>
  Effect.gen(function*() {
    yield* seedDueJobs(jobs)
    const idleBefore = yield* idleTick(1)
    const run = yield* drain(maxTasksPerTick)
    const idle = yield* idleTick(500)
    return {
      jobs,
      max_tasks_per_tick: maxTasksPerTick,
      jobs_per_s: (run.delivered / run.ms) * 1000,
      mean_full_tick_ms: run.ms / Math.max(1, run.ticks - 1),
      slowest_tick_ms: run.slowest,
      idle_tick_ms: idle,
      warm_up_tick_ms: idleBefore
    }
  }).pipe(Effect.provide(benchEnv(dir, maxTasksPerTick, `drain-${maxTasksPerTick}.db`)))

const median = (ms: ReadonlyArray<number>) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)] ?? 0

/** Median cost of `samples` ticks of a dispatcher at batch 10. */
const tickMedian = (samples: number) =>
  Effect.gen(function*() {
    const { runner } = yield* Dispatcher.make
    const ms: Array<number> = []
    for (let i = 0; i < samples; i++) ms.push((yield* timed(runner.tick(context(i, 10)))).ms)
    return median(ms)
  })

/**
 * Idle and full-batch tick cost on a store seeded by the store bench's set-based seeding:
 * with `history`, 100k conversations and 1M messages with their done jobs; without, only the
 * 10k conversations the due jobs need. 10% of those conversations are paused and 10% manual,
 * so a full tick also defers.
 */
const tickCosts = (dir: string, history: boolean) =>
  Effect.gen(function*() {
    yield* Seed.conversations(history ? 100_000 : 10_000)
    if (history) yield* Seed.history(1_000_000, 100_000)
    const idle = yield* tickMedian(300)
    yield* Seed.dueJobs(10_000)
    const full = yield* tickMedian(200)
    return { idle, full }
  }).pipe(Effect.provide(benchEnv(dir, 10, history ? "seeded.db" : "empty.db")))

/**
 * The dispatcher section: drains 10,000 due jobs at batch 10 and 100 through an instant bridge,
 * then times idle and full ticks on an empty and a 1M-row store.
 */
export const run = (jobs = 10_000) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-dispatcher-" })
    yield* Console.log(`dispatcher: draining ${jobs} due jobs (instant bridge, JSONL log on)`)
    for (const batch of [10, 100]) {
      const r = yield* drainReport(path.join(dir, `b${batch}`), jobs, batch)
      yield* Console.log(
        `  batch ${batch}: ${fmt(r.jobs_per_s, 0)} jobs/s, full tick ${fmt(r.mean_full_tick_ms, 2)} ms ` +
          `(slowest ${fmt(r.slowest_tick_ms, 2)} ms), idle tick ${fmt(r.idle_tick_ms * 1000, 0)} µs`
      )
    }
    yield* Console.log("  tick cost, batch 10 (median):   idle      full")
    for (const history of [false, true]) {
      const r = yield* tickCosts(path.join(dir, history ? "seeded" : "empty"), history)
      const label = history ? "1M messages + 1M done jobs" : "empty (10k due only)     "
      yield* Console.log(`    ${label}  ${fmt(r.idle, 2)} ms  ${fmt(r.full, 2)} ms`)
    }
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)

export const name = "dispatcher"
