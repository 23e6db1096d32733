import { expect, layer } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { Leases } from "../../src/services/Leases.js"
import { get } from "./client.js"
import { layer as layerUnderTest } from "./harness.js"

layer(layerUnderTest, { excludeTestServices: true })("system state: leader and nodes", (it) => {
  it.effect("shows no leader before any, then the leader, its term and every node with its clients", () =>
    Effect.gen(function*() {
      const before = (yield* get("/v1/system/state")).body.data
      expect(before).toMatchObject({ automation: "running", node_id: "node-test", leader: null, nodes: [] })

      const leases = yield* Leases
      const now = yield* Clock.currentTimeMillis
      const until = now + 60_000
      yield* leases.beat({ node_id: "node-test", run_id: "run_test", role: "primary" }, now, until)
      yield* leases.beat({ node_id: "node-z", run_id: "run_z", role: "standby" }, now, until)
      yield* leases.acquire({ node_id: "node-test", run_id: "run_test" }, now, until)

      const state = (yield* get("/v1/system/state")).body.data
      expect(state.leader).toEqual({ node_id: "node-test", term: 1, lease_until: until })
      expect(state.nodes).toEqual([
        { node_id: "node-test", role: "primary", run_id: "run_test", lease_until: until, leader: true, clients: [] },
        { node_id: "node-z", role: "standby", run_id: "run_z", lease_until: until, leader: false, clients: [] }
      ])
      // Every field of before stays, with two more.
      expect(Object.keys((yield* get("/v1/system/state")).body.data).sort()).toEqual(
        ["automation", "leader", "node_id", "nodes", "role", "started_at", "version"]
      )
    }))
})
