import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option, TestClock, TestServices } from "effect"
import * as SqlLeases from "../../src/layers/sql/leases.js"
import { Leadership } from "../../src/programs/leadership/Leadership.js"
import * as LeadershipLive from "../../src/programs/leadership/Leadership.js"
import * as Projector from "../../src/programs/projector/Projector.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import type { NodeIdentity } from "../../src/services/ConductorConfig.js"
import { Leases } from "../../src/services/Leases.js"
import { logged, programsEnv, tickContext } from "./dispatcherEnv.js"
import { insertJob, observe } from "./seed.js"

const env = (identity: Partial<NodeIdentity> = {}) =>
  SqlLeases.layer.pipe(Layer.provideMerge(programsEnv({}, identity)))

/** This node's leadership, started now (its first heartbeat runs before this returns). */
const startLeadership = Layer.build(LeadershipLive.layer())

const projectOnce = Effect.flatMap(Projector.make, (projector) => projector.tick(tickContext()))

/** Waits (in real time, briefly) for the heartbeat fiber's store writes after a clock step. */
const eventually = <A, E, R>(check: Effect.Effect<A, E, R>) =>
  check.pipe(
    Effect.tapError(() => TestServices.provideLive(Effect.sleep("10 millis"))),
    Effect.retry({ times: 300 })
  )

const jobs = Effect.flatMap(ArtifactStore, (store) => store.listJobs({ limit: 10, offset: 0 }))

describe("leadership", () => {
  it.scoped("a standby records its lease and never leads", () =>
    Effect.gen(function*() {
      const ctx = yield* startLeadership
      yield* TestClock.adjust(20_000)
      const leases = yield* Leases
      expect(yield* Effect.provide(Effect.flatMap(Leadership, (l) => l.term), ctx)).toEqual(Option.none())
      expect(yield* leases.leader).toEqual(Option.none())
      expect((yield* leases.nodes).map((n) => [n.node_id, n.role])).toEqual([["node-test", "standby"]])
    }).pipe(Effect.provide(env({ role: "standby" }))))

  it.scoped("a node that does not hold the lease does not project; it leads once the lease lapses", () =>
    Effect.gen(function*() {
      const leases = yield* Leases
      yield* leases.acquire({ node_id: "node-other", run_id: "run-o" }, 0, 3_000)
      const ctx = yield* startLeadership
      yield* observe({ conversation: "c1", message_id: "m1", observed_at: 0 })

      expect(yield* Effect.provide(projectOnce, ctx)).toEqual({ result: "not_leader", details: {} })
      expect(yield* jobs).toEqual([])
      expect(yield* (yield* ArtifactStore).projectorCursor).toBe(0)

      yield* TestClock.adjust(4_000)
      yield* eventually(Effect.flatMap(Effect.provide(Leadership, ctx), (l) => l.term).pipe(Effect.flatten))
      expect(termOf(yield* leases.leader)).toEqual(Option.some(2))
      expect((yield* Effect.provide(projectOnce, ctx)).result).toBe("ok")
      expect(yield* jobs).toHaveLength(1)
    }).pipe(Effect.provide(env())))

  it.scoped("a leader whose term was taken over cannot commit: nothing is written, it is logged, it steps down", () =>
    Effect.gen(function*() {
      const ctx = yield* startLeadership
      const leadership = Effect.provide(Leadership, ctx)
      expect(yield* Effect.flatMap(leadership, (l) => l.term)).toEqual(Option.some(1))
      yield* observe({ conversation: "c1", message_id: "m1", observed_at: 0 })
      // Another node took the next term while this one still believes its lease.
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE leader_lease SET node_id = 'node-other', run_id = 'run-o', term = term + 1`

      const tick = yield* Effect.provide(projectOnce, ctx)
      expect(tick).toEqual({ result: "not_leader", details: { term: 1, current_term: 2 } })
      expect(yield* jobs).toEqual([])
      expect(yield* (yield* ArtifactStore).projectorCursor).toBe(0)
      expect((yield* logged("commit_refused")).map((l) => l.result)).toEqual(["stale_term"])
      expect(yield* Effect.flatMap(leadership, (l) => l.term)).toEqual(Option.none())
    }).pipe(Effect.provide(env())))

  it.scoped("a dead node's running jobs are recovered once its lease lapses, not after the execution timeout", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const leases = yield* Leases
      const seen = yield* observe({ conversation: "c1", message_id: "m1", observed_at: 0 })
      const job = yield* insertJob({
        job_id: "job_dead",
        local_conversation_id: seen.conversation.local_conversation_id,
        message_id: "m1",
        payload: "p",
        next_attempt_at: 0
      })
      yield* store.claimDueJobs({ node_id: "node-dead", run_id: "run-d", now: 0, limit: 1 })
      yield* leases.beat({ node_id: "node-dead", run_id: "run-d", role: "primary" }, 0, 5_000)
      yield* startLeadership

      const status = Effect.map(store.getJob(job.job_id), (j) => Option.getOrThrow(j).status)
      yield* TestClock.adjust(4_000)
      expect(yield* status).toBe("running")
      yield* TestClock.adjust(2_000)
      const recovered = yield* eventually(
        store.getJob(job.job_id).pipe(Effect.map(Option.getOrThrow), Effect.filterOrFail((j) => j.status === "pending"))
      )
      expect(recovered).toMatchObject({ attempt_count: 1, last_error: "stale_running" })
      const lines = yield* logged("node_lease_expired")
      expect(lines.map((l) => [l.result, l.details?.["node_id"], l.details?.["recovered_jobs"]])).toEqual([
        ["recovered", "node-dead", 1]
      ])
      expect((yield* leases.nodes).map((n) => n.node_id)).toEqual(["node-test"])
    }).pipe(Effect.provide(env())))
})

const termOf = Option.map((lease: { readonly term: number }) => lease.term)
