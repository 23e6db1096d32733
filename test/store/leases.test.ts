import { SqlClient } from "@effect/sql"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as Presence from "../../src/layers/pg/presence.js"
import * as SqlLeases from "../../src/layers/sql/leases.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { Leases } from "../../src/services/Leases.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, newJob } from "./fixtures.js"

const a = { node_id: "node-a", run_id: "run_a1" }
const b = { node_id: "node-b", run_id: "run_b1" }
const c = { node_id: "node-c", run_id: "run_c1" }

const termOf = Option.map((lease: { readonly term: number }) => lease.term)

describe.each(storeBackends)("leases on $name", ({ layer, name }) => {
  const withLeases = <A, E>(self: Effect.Effect<A, E, ArtifactStore | Leases | SqlClient.SqlClient>) =>
    self.pipe(Effect.provide(SqlLeases.layer.pipe(Layer.provideMerge(layer))))

  it.effect("the lease is renewed under its term, and a lapsed one is taken under the next", () =>
    withLeases(Effect.gen(function*() {
      const leases = yield* Leases
      expect(yield* leases.leader).toEqual(Option.none())
      expect(yield* leases.acquire(a, 0, 5_000)).toEqual(
        Option.some({ node_id: "node-a", term: 1, lease_until: 5_000 })
      )
      // Renewed by its holder, refused to anyone else while it lasts.
      expect(termOf(yield* leases.acquire(a, 1_000, 6_000))).toEqual(Option.some(1))
      expect(yield* leases.acquire(b, 5_999, 10_999)).toEqual(Option.none())
      expect(yield* leases.leader).toEqual(Option.some({ node_id: "node-a", term: 1, lease_until: 6_000 }))
      // Lapsed: the next taker gets term 2 and the old holder cannot renew.
      expect(yield* leases.acquire(b, 6_000, 11_000)).toEqual(
        Option.some({ node_id: "node-b", term: 2, lease_until: 11_000 })
      )
      expect(yield* leases.acquire(a, 6_500, 11_500)).toEqual(Option.none())
      // A restarted node takes its own node's lease at once, under a new term.
      expect(termOf(yield* leases.acquire({ node_id: "node-b", run_id: "run_b2" }, 7_000, 12_000))).toEqual(
        Option.some(3)
      )
      // Resigning lets another lead at once; the term only grows.
      yield* leases.resign({ node_id: "node-b", run_id: "run_b2" }, 8_000)
      expect(termOf(yield* leases.acquire(a, 8_000, 13_000))).toEqual(Option.some(4))
    })))

  it.effect("two candidates for a lapsed lease: exactly one wins each term", () =>
    withLeases(Effect.gen(function*() {
      const leases = yield* Leases
      for (let round = 0; round < 10; round++) {
        const now = round * 10_000
        const candidates = [`x${round}`, `y${round}`].map((node_id) => ({ node_id, run_id: `run_${node_id}` }))
        const won = yield* Effect.all(candidates.map((n) => leases.acquire(n, now, now + 5_000)), { concurrency: 2 })
        const winners = won.filter(Option.isSome).map((w) => w.value)
        expect(winners).toHaveLength(1)
        expect(winners[0]!.term).toBe(round + 1)
      }
    })))

  it.effect("a projection under a term that is no longer the lease's is refused and writes nothing", () =>
    withLeases(Effect.gen(function*() {
      const store = yield* ArtifactStore
      const leases = yield* Leases
      const id = (yield* conversation("fenced")).local_conversation_id
      const old = yield* leases.acquire(a, 0, 5_000)
      expect(termOf(old)).toEqual(Option.some(1))
      expect(yield* store.commitProjection(3, [newJob(id, "f-1")], [], 1)).toHaveLength(1)

      // A froze past its lease; B took term 2.
      expect(termOf(yield* leases.acquire(b, 6_000, 11_000))).toEqual(Option.some(2))
      const refused = yield* store.commitProjection(7, [newJob(id, "f-2")], [], 1).pipe(Effect.flip)
      expect(refused).toMatchObject({ _tag: "StaleLeaderTerm", term: 1, current_term: 2 })
      expect(yield* store.projectorCursor).toBe(3)
      expect((yield* store.listJobs({ limit: 10, offset: 0 })).map((j) => j.message_id)).toEqual(["f-1"])

      expect(yield* store.commitProjection(7, [newJob(id, "f-2")], [], 2)).toHaveLength(1)
      expect(yield* store.projectorCursor).toBe(7)
    })))

  it.effect("a dead node's lease goes to exactly one survivor, which recovers its running jobs once", () =>
    withLeases(Effect.gen(function*() {
      const store = yield* ArtifactStore
      const leases = yield* Leases
      for (const n of ["1", "2", "3"]) {
        const id = (yield* conversation(`dead-${n}`)).local_conversation_id
        yield* store.insertJob(newJob(id, `d-${n}`))
      }
      const claimed = yield* store.claimDueJobs({ ...a, now: 100, limit: 2 })
      expect(claimed).toHaveLength(2)
      yield* leases.beat({ ...a, role: "primary" }, 100, 5_100)
      yield* leases.beat({ ...b, role: "primary" }, 100, 5_100)
      yield* leases.beat({ ...c, role: "standby" }, 100, 5_100)

      // Nothing lapsed yet.
      expect(yield* leases.reap(b.node_id, 5_000)).toEqual([])
      yield* leases.beat({ ...b, role: "primary" }, 5_000, 10_000)
      yield* leases.beat({ ...c, role: "standby" }, 5_000, 10_000)

      const [byB, byC] = yield* Effect.all([leases.reap(b.node_id, 5_200), leases.reap(c.node_id, 5_200)], {
        concurrency: 2
      })
      const reaped = [...byB, ...byC]
      expect(reaped).toEqual([{ ...a, role: "primary", lease_until: 5_100, last_seen_at: 100 }])
      const survivor = byB.length === 1 ? b : c
      const recovered = yield* store.recoverStaleJobs({
        node_id: "node-a",
        run_id: survivor.run_id,
        claimed_before: 0,
        now: 5_200,
        last_error: "stale_running",
        log_path: "renewal.jsonl"
      })
      expect(recovered.map((j) => j.job_id).sort()).toEqual(claimed.map((j) => j.job_id).sort())
      expect(recovered.every((j) => j.status === "pending" && j.attempt_count === 1)).toBe(true)
      expect((yield* leases.nodes).map((n) => n.node_id)).toEqual(["node-b", "node-c"])
    })))

  it.effect.skipIf(name !== "postgres")(
    "each node lists the browser clients it holds",
    () =>
      withLeases(Effect.gen(function*() {
        const leases = yield* Leases
        const presence = yield* Presence.make
        yield* leases.beat({ ...a, role: "primary" }, 0, 5_000)
        yield* leases.beat({ ...b, role: "primary" }, 0, 5_000)
        yield* presence.hold(b, ["client-2", "client,1"], 0, 5_000)
        expect((yield* leases.nodes).map((n) => [n.node_id, n.clients])).toEqual([
          ["node-a", []],
          ["node-b", ["client,1", "client-2"]]
        ])
      }))
  )
})
