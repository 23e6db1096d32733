import { describe, expect, it } from "@effect/vitest"
import { Effect, Fiber } from "effect"
import { DEFAULT_LEASE_MS, HEARTBEAT_MS } from "../../src/services/Leases.js"
import { storeBackends } from "../support/storeBackends.js"
import { until } from "./api.js"
import { type Fleet, type ReplyToReport, spawnFleet } from "./browserFleet.js"
import { leaderOf, nodeOf, systemState } from "./clusterLeader.js"
import { type Cluster, PACING_OFF, spawnCluster } from "./daemonCluster.js"
import { allJobs, presence, progress, projectorCursor, statusCounts, unprojected } from "./jobCensus.js"

// Without a PostgreSQL server the global setup says so (and fails under BAA_REQUIRE_POSTGRES=1).
const postgres = storeBackends.find((b) => b.name === "postgres")

/**
 * Its own step (`npm run test:cluster`, run by `.ci/run`), not part of `npm test`: three daemons
 * and 1,000 replies take about 35 s, more than the suite's time allows.
 */
const ON_DEMAND = process.env.BAA_MULTI_NODE_E2E === "1"
if (postgres !== undefined && !ON_DEMAND) {
  console.warn("Multi-node end-to-end tests skipped here: npm run test:cluster runs them.")
}

/** Fast ticks, no pacing; a dead node's jobs come back when its lease lapses, not on a timeout. */
const DAEMON_ARGS = [
  "--interval-ms",
  "100",
  "--settle-delay-ms",
  "0",
  "--default-automation-status",
  "auto",
  "--max-messages-per-tick",
  "100",
  ...PACING_OFF
]

/** `conversations` conversations in tabs of `clients` clients (conversation `c` in client `c % clients`), in rounds. */
const repliesOf = (client: number, options: { clients: number; conversations: number; rounds: number; tag: string }) =>
  Array.from({ length: options.rounds }, (_, round) =>
    Array.from({ length: options.conversations }, (_, c) => c)
      .filter((c) => c % options.clients === client)
      .map((c): ReplyToReport => ({
        conversation_id: `conv_${options.tag}_${c}`,
        message_id: `m_${options.tag}_${c}_${round}`,
        tab_id: c + 1
      }))).flat()

const reportAll = (fleet: Fleet, options: { conversations: number; rounds: number; tag: string }) =>
  Effect.forEach(
    fleet.clients,
    (client, i) => client.report(repliesOf(i, { ...options, clients: fleet.clients.length })),
    { concurrency: "unbounded", discard: true }
  )

/** Until a node's heartbeat names its clients, another node could claim their jobs. */
const awaitPresence = (cluster: Cluster, fleet: Fleet) =>
  until(
    "every browser held by the node it is connected to",
    presence(cluster.database),
    (held) => fleet.clients.every((c) => held[c.clientId] === c.nodeId())
  )

const doneCount = (cluster: Cluster) => Effect.map(statusCounts(cluster.database), (c) => c.done ?? 0)

/** Every job done, or a message left behind the projector's cursor (lost: waiting longer cannot help). */
const settled = (jobs: number) => (p: Effect.Effect.Success<ReturnType<typeof progress>>) =>
  p.jobs.done === jobs || (p.unprojected.length > 0 && p.unprojected.every((seq) => seq <= p.cursor))

/**
 * The end state every run must reach: one job per reply, all done with no failed attempt except
 * those in `recovered` (exactly one lost attempt each), every message projected into its job, and
 * every plan delivered once (a recovered one at most twice, under the same plan id).
 */
const expectEachJobDoneOnce = (cluster: Cluster, fleet: Fleet, jobs: number, recovered: ReadonlySet<string>) =>
  Effect.gen(function*() {
    const rows = yield* allJobs(cluster.database)
    // A message left behind the cursor is never projected: a reply lost.
    expect({ unprojected: yield* unprojected(cluster.database), cursor: yield* projectorCursor(cluster.database) })
      .toEqual({ unprojected: [], cursor: expect.any(Number) })
    expect(rows).toHaveLength(jobs)
    expect(new Set(rows.map((j) => j.message_id)).size).toBe(jobs)
    for (const job of rows) {
      expect(job, job.job_id).toMatchObject({
        status: "done",
        last_error: null,
        attempt_count: recovered.has(job.job_id) ? 2 : 1
      })
    }
    expect(new Set(fleet.deliveries.keys())).toEqual(new Set(rows.map((j) => `plan_${j.job_id}`)))
    for (const [plan, times] of fleet.deliveries) {
      expect(times, plan).toBe(recovered.has(plan.slice("plan_".length)) ? Math.min(times, 2) : 1)
    }
  })

describe.skipIf(postgres === undefined || !ON_DEMAND)("three daemons on one PostgreSQL database", () => {
  const JOBS = 1_000

  it.live(
    `${JOBS} auto replies from browsers spread over them, the leader killed -9 mid-run: each job done once`,
    () =>
      Effect.gen(function*() {
        const cluster = yield* spawnCluster(postgres!, { count: 3, args: DAEMON_ARGS })
        const fleet = yield* spawnFleet(cluster, 12)
        yield* awaitPresence(cluster, fleet)

        yield* reportAll(fleet, { conversations: 200, rounds: JOBS / 200, tag: "k" })
        yield* until("a third of the jobs done", doneCount(cluster), (done) => done >= JOBS / 3, 600)

        const leader = (yield* until("a leader", leaderOf(cluster), (l) => l !== null))!
        const victim = nodeOf(cluster, leader)
        const movers = fleet.clients.filter((c) => c.nodeId() === victim.nodeId)
        yield* cluster.kill(victim)
        // What the dead leader left running: each must come back exactly once, under its plan id.
        const inFlight = new Set(
          (yield* allJobs(cluster.database))
            .filter((j) => j.status === "running" && j.claimed_by_node === victim.nodeId)
            .map((j) => j.job_id)
        )
        // A survivor takes over once the dead leader's lease lapses (polled every 100 ms).
        const next = yield* until(
          "a new leader within the lease time",
          leaderOf(cluster),
          (l) => l !== null && l.node_id !== victim.nodeId,
          (DEFAULT_LEASE_MS + 2 * HEARTBEAT_MS) / 100
        )
        expect(next!.term).toBeGreaterThan(leader.term)

        yield* until(
          `all ${JOBS} jobs done`,
          progress(cluster.database),
          settled(JOBS),
          600
        )
        yield* expectEachJobDoneOnce(cluster, fleet, JOBS, inFlight)
        // Its browsers moved to the survivors.
        expect(movers.every((c) => c.nodeId() !== victim.nodeId)).toBe(true)
        expect(fleet.reconnects()).toBe(movers.length)
      }).pipe(Effect.scoped),
    300_000
  )

  it.live(
    "a leader frozen past its lease cannot commit under its old term: another leads, nothing projected twice",
    () =>
      Effect.gen(function*() {
        const cluster = yield* spawnCluster(postgres!, { count: 3, args: DAEMON_ARGS })
        const old = (yield* until("a leader", leaderOf(cluster), (l) => l !== null))!
        const frozen = nodeOf(cluster, old)
        // The browsers stay off the frozen node, whose sockets would go quiet with it.
        const fleet = yield* spawnFleet(cluster, 4, cluster.nodes.filter((n) => n !== frozen))
        yield* awaitPresence(cluster, fleet)

        // Freeze it while it projects the first replies, mid-tick as likely as not.
        const first = yield* Effect.fork(reportAll(fleet, { conversations: 40, rounds: 2, tag: "a" }))
        yield* until("the first jobs", Effect.map(allJobs(cluster.database), (j) => j.length), (n) => n > 0)
        process.kill(frozen.daemon.pid, "SIGSTOP")
        yield* Effect.addFinalizer(() => Effect.sync(() => process.kill(frozen.daemon.pid, "SIGCONT")))
        const live = cluster.nodes.filter((n) => n !== frozen)
        const next = yield* until(
          "another node leading under a higher term",
          Effect.map(systemState(live[0]!), (s) => s.leader),
          (l) => l !== null && l.node_id !== frozen.nodeId,
          (2 * DEFAULT_LEASE_MS + 2 * HEARTBEAT_MS) / 100
        )
        expect(next!.term).toBeGreaterThan(old.term)
        yield* Fiber.join(first)
        yield* reportAll(fleet, { conversations: 40, rounds: 1, tag: "b" })

        process.kill(frozen.daemon.pid, "SIGCONT")
        // Woken, it finds its term taken and stands down rather than committing under it.
        yield* until(
          "the old leader standing down",
          frozen.daemon.output,
          (out) => /Leadership: lease lost|projection refused, stepping down/.test(out)
        )
        const seen = yield* systemState(frozen)
        expect(seen.leader).toMatchObject({ node_id: next!.node_id, term: next!.term })
        expect(seen.nodes.find((n) => n.node_id === frozen.nodeId)).toMatchObject({ leader: false })

        // Replies after its return are projected once too, by the new leader.
        yield* reportAll(fleet, { conversations: 40, rounds: 1, tag: "c" })
        const jobs = 40 * 4
        yield* until(
          `all ${jobs} jobs done`,
          progress(cluster.database),
          settled(jobs),
          300
        )
        yield* expectEachJobDoneOnce(cluster, fleet, jobs, new Set())
      }).pipe(Effect.scoped),
    120_000
  )
})
