import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import type { SqlClient } from "@effect/sql"
import { Console, Context, Effect, Layer } from "effect"
import { ClientId, JobId, LocalConversationId, MessageId, RemoteConversationId } from "../src/domain/index.js"
import * as SqliteArtifactStore from "../src/layers/sqlite/SqliteArtifactStore.js"
import { ArtifactStore, type ArtifactStoreService } from "../src/services/ArtifactStore.js"
import * as Seed from "./seed.js"

/**
 * The seeded store holds a million messages and done jobs; the small one a hundredth of that,
 * enough that every query below returns a full page on both, so their ratio compares like with
 * like (on the empty store most lists return short pages). Ten done jobs per conversation.
 */
const SEEDED = { messages: 1_000_000, conversations: 100_000 }
const SMALL = { messages: 10_000, conversations: 10_000 }
const JOBS_PER_CONVERSATION = 10
const DUE_JOBS = 10_000
const DEEP_OFFSET = 5_000

interface Probe {
  readonly label: string
  readonly samples: number
  readonly run: (store: ArtifactStoreService, i: number) => Effect.Effect<unknown, unknown>
}

const page = { limit: 20, offset: 0 }
const deep = { limit: 20, offset: DEEP_OFFSET }
const lc = LocalConversationId.make("lc-7")

/** The list queries of the HTTP API, with and without filters, first page and deep offset. */
const probes: ReadonlyArray<Probe> = [
  { label: "conversations", samples: 300, run: (s) => s.listConversations(page) },
  {
    label: "conversations platform=claude",
    samples: 300,
    run: (s) => s.listConversations({ ...page, platform: "claude" })
  },
  {
    label: "conversations status=paused",
    samples: 300,
    run: (s) => s.listConversations({ ...page, status: "paused" })
  },
  { label: "conversations offset 5k", samples: 30, run: (s) => s.listConversations(deep) },
  { label: "links", samples: 300, run: (s) => s.listLinks(page) },
  {
    label: "links client_id",
    samples: 300,
    run: (s) => s.listLinks({ ...page, client_id: ClientId.make("client-3") })
  },
  {
    label: "links platform is_active=false",
    samples: 300,
    run: (s) => s.listLinks({ ...page, platform: "gemini", is_active: false })
  },
  {
    label: "links remote_conversation_id",
    samples: 300,
    run: (s) => s.listLinks({ ...page, remote_conversation_id: RemoteConversationId.make("conv-7") })
  },
  {
    label: "links local_conversation_id",
    samples: 300,
    run: (s) => s.listLinks({ ...page, local_conversation_id: lc })
  },
  { label: "links offset 5k", samples: 30, run: (s) => s.listLinks(deep) },
  { label: "jobs", samples: 300, run: (s) => s.listJobs(page) },
  { label: "jobs status=done", samples: 300, run: (s) => s.listJobs({ ...page, status: "done" }) },
  { label: "jobs status=pending", samples: 300, run: (s) => s.listJobs({ ...page, status: "pending" }) },
  { label: "jobs status=failed (none)", samples: 300, run: (s) => s.listJobs({ ...page, status: "failed" }) },
  { label: "jobs local_conversation_id", samples: 300, run: (s) => s.listJobs({ ...page, local_conversation_id: lc }) },
  {
    label: "jobs message_id",
    samples: 300,
    run: (s) => s.listJobs({ ...page, message_id: MessageId.make("due-msg-7") })
  },
  { label: "jobs offset 5k", samples: 30, run: (s) => s.listJobs(deep) },
  { label: "jobs status=done offset 5k", samples: 30, run: (s) => s.listJobs({ ...deep, status: "done" }) },
  { label: "getJob", samples: 300, run: (s) => s.getJob(JobId.make("job_due_00000007")) },
  {
    label: "getConversation + activeLink",
    samples: 300,
    run: (s) => Effect.zip(s.getConversation(lc), s.activeLink(lc))
  },
  { label: "messagesAfter (projector page)", samples: 300, run: (s) => s.messagesAfter(0, 10) },
  {
    label: "recoverStaleJobs (none stale)",
    samples: 300,
    run: (s) =>
      s.recoverStaleJobs({
        node_id: "n",
        run_id: "r",
        claimed_before: 0,
        now: 0,
        last_error: "stale_running",
        log_path: "bench.jsonl"
      })
  },
  {
    label: "recordObservation (new message)",
    samples: 300,
    run: (s, i) =>
      s.recordObservation({
        message: {
          id: MessageId.make(`bench-obs-${i}`),
          platform: "chatgpt",
          conversation_id: RemoteConversationId.make(`conv-${i}`),
          role: "assistant",
          raw_text: "a reply",
          observed_at: Seed.HISTORY_END
        },
        default_status: "manual",
        link: {
          client_id: ClientId.make("client-bench"),
          page_url: null,
          page_title: null,
          route_path: null,
          route_pattern: null,
          route_params: null,
          target_kind: "browser.proxy_delivery",
          target_id: `tab:${i + 1}`,
          target_payload: null,
          observed_at: Seed.HISTORY_END
        }
      })
  }
]

interface Opened {
  readonly label: string
  readonly store: ArtifactStoreService
  readonly seedMs: number
}

const median = (ms: ReadonlyArray<number>) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!

/**
 * Median of `samples` runs on each store, taking turns sample by sample, so load from other
 * processes lands on every store alike and the ratios stay meaningful on a busy machine.
 */
const time = (stores: ReadonlyArray<Opened>, probe: Probe) =>
  Effect.gen(function*() {
    for (const { store } of stores) for (let i = 0; i < 3; i++) yield* probe.run(store, i)
    const ms = stores.map(() => [] as Array<number>)
    for (let i = 0; i < probe.samples; i++) {
      for (const [k, { store }] of stores.entries()) {
        const start = performance.now()
        yield* probe.run(store, 3 + i)
        ms[k]!.push(performance.now() - start)
      }
    }
    return ms.map(median)
  })

/** One claim of ten and each claimed job marked done, as a dispatcher would; false when none was due. */
const claimRound = (store: ArtifactStoreService) =>
  Effect.gen(function*() {
    const claim = { node_id: "bench", run_id: "run", claimed_at: Seed.HISTORY_END * 2 }
    const batch = yield* store.claimDueJobs({ ...claim, now: claim.claimed_at, limit: 10 })
    for (const job of batch) {
      yield* store.updateClaimedJob(job.job_id, claim, {
        status: "done",
        next_attempt_at: null,
        finished_at: Seed.HISTORY_END
      })
    }
    return batch.length
  })

/** Drains every store's due jobs, round by round in turn; total milliseconds and jobs per store. */
const claimAndComplete = (stores: ReadonlyArray<Opened>) =>
  Effect.gen(function*() {
    const totals = stores.map(() => ({ ms: 0, jobs: 0, done: false }))
    while (totals.some((t) => !t.done)) {
      for (const [k, { store }] of stores.entries()) {
        const total = totals[k]!
        if (total.done) continue
        const start = performance.now()
        const claimed = yield* claimRound(store)
        total.ms += performance.now() - start
        total.jobs += claimed
        total.done = claimed === 0
      }
    }
    return totals
  })

const open = (label: string, filename: string, seed: Effect.Effect<void, unknown, SqlClient.SqlClient>) =>
  Effect.gen(function*() {
    const ctx = yield* Layer.build(SqliteArtifactStore.layer({ filename }))
    const start = performance.now()
    yield* Effect.provide(seed, ctx)
    return { label, store: Context.get(ctx, ArtifactStore), seedMs: performance.now() - start }
  })

const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`)
const cells = (values: ReadonlyArray<string>) => values.map((v) => v.padStart(11)).join("")

export const name = "store"

export const run = () =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "baa-bench-store-" })
    const describe = (size: typeof SEEDED) =>
      `${size.messages} messages + done jobs, ${size.conversations} conversations, ${size.conversations * 2} links`
    yield* Console.log(`store: every store has ${DUE_JOBS} due jobs in ${DUE_JOBS} conversations; besides`)
    yield* Console.log(`  empty: nothing else; small: ${describe(SMALL)}; seeded: ${describe(SEEDED)}`)

    const withHistory = (size: typeof SEEDED) =>
      Seed.conversations(size.conversations).pipe(
        Effect.zipRight(Seed.history(size.messages, size.messages / JOBS_PER_CONVERSATION)),
        Effect.zipRight(Seed.dueJobs(DUE_JOBS))
      )
    const stores = [
      yield* open(
        "empty",
        path.join(dir, "empty.db"),
        Effect.zipRight(Seed.conversations(DUE_JOBS), Seed.dueJobs(DUE_JOBS))
      ),
      yield* open("small", path.join(dir, "small.db"), withHistory(SMALL)),
      yield* open("seeded", path.join(dir, "seeded.db"), withHistory(SEEDED))
    ]
    yield* Console.log(
      `  seeding took ${stores.map((s) => `${(s.seedMs / 1000).toFixed(1)} s (${s.label})`).join(", ")}`
    )

    yield* Console.log(
      `  ${"operation (median)".padEnd(36)}${cells(["empty", "small", "seeded", "seed/empty", "seed/small"])}`
    )
    const row = (label: string, [e, s, d]: ReadonlyArray<number>) =>
      Console.log(
        `  ${label.padEnd(36)}${cells([fmt(e!), fmt(s!), fmt(d!), (d! / e!).toFixed(2), (d! / s!).toFixed(2)])}`
      )
    for (const probe of probes) yield* row(probe.label, yield* time(stores, probe))

    const claims = yield* claimAndComplete(stores)
    yield* row("claim+complete (per job)", claims.map((c) => c.ms / c.jobs))
    yield* Console.log(
      `  claim+complete of ${DUE_JOBS} due jobs, 10 per claim: ` +
        stores.map((s, k) => `${fmt(claims[k]!.ms)} ${s.label} (${claims[k]!.jobs} jobs)`).join(", ")
    )
  }).pipe(Effect.scoped, Effect.provide(NodeContext.layer), Effect.orDie)
