import { expect, layer } from "@effect/vitest"
import { Clock, Effect } from "effect"
import { Leases } from "../../src/services/Leases.js"
import * as Harness from "../http/harness.js"
import * as Seed from "../http/seed.js"
import { cli } from "./runCli.js"

layer(Harness.layer, { excludeTestServices: true })("the CLI client", (it) => {
  it.effect("status prints the node, its runners and its clients", () =>
    Effect.gen(function*() {
      const result = yield* cli(["status"])
      expect(result.code).toBe(0)
      expect(result.stdout).toMatch(/automation\s+running/)
      expect(result.stdout).toContain("node-test (primary)")
      expect(result.stdout).toContain("renewal.dispatcher")
      expect(result.stdout).toContain("no browser clients")
      expect(result.stdout).toContain("no platform deliveries yet")
    }))

  it.effect("conversations list, show and set, as tables or JSON", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation()
      const id = conversation.local_conversation_id
      const listed = yield* cli(["conversations", "list"])
      expect(listed.code).toBe(0)
      expect(listed.stdout).toMatch(/^ID\s+PLATFORM\s+STATUS/)
      expect(listed.stdout).toContain(id)
      const set = yield* cli(["conversations", "set", id, "auto"])
      expect(set.code).toBe(0)
      expect(set.stdout).toMatch(/status\s+auto/)
      const json = yield* cli(["conversations", "show", id, "--json"])
      expect(JSON.parse(json.stdout)).toMatchObject({
        local_conversation_id: id,
        automation_status: "auto",
        recent_jobs: []
      })
      const filtered = yield* cli(["conversations", "list", "--status", "auto", "--json"])
      expect(JSON.parse(filtered.stdout).filters).toEqual({ status: "auto", limit: 20, offset: 0 })
    }))

  it.effect("jobs list, show, retry and cancel", () =>
    Effect.gen(function*() {
      const { conversation } = yield* Seed.conversation()
      const failed = yield* Seed.job(conversation.local_conversation_id, { status: "failed", attempt_count: 3 })
      const pending = yield* Seed.job(conversation.local_conversation_id)
      const listed = yield* cli(["jobs", "list", "--conversation", conversation.local_conversation_id])
      expect(listed.stdout).toContain(failed.job_id)
      expect(listed.stdout).toContain("3/3")
      const shown = yield* cli(["jobs", "show", pending.job_id])
      expect(shown.stdout).toMatch(/text\s+\[renewal\] hello/)
      const retried = yield* cli(["jobs", "retry", failed.job_id, "--json"])
      expect(JSON.parse(retried.stdout)).toMatchObject({ status: "pending", max_attempts: 4 })
      const cancelled = yield* cli(["jobs", "cancel", pending.job_id])
      expect(cancelled.code).toBe(0)
      expect(cancelled.stdout).toMatch(/last error\s+cancelled/)
    }))

  it.effect("jobs prune removes what is past retention and says so", () =>
    Effect.gen(function*() {
      const printed = yield* cli(["jobs", "prune"])
      expect(printed.code).toBe(0)
      expect(printed.stdout).toMatch(/deleted jobs\s+0 \(finished before .*, 1 batches\)/)
      expect(printed.stdout).toMatch(/deleted log files\s+none/)
      expect(JSON.parse((yield* cli(["jobs", "prune", "--json"])).stdout)).toMatchObject({
        deleted_jobs: 0,
        deleted_log_files: []
      })
    }))

  it.effect("system pause, drain and resume flip the automation switch", () =>
    Effect.gen(function*() {
      expect((yield* cli(["system", "pause"])).stdout).toMatch(/automation\s+paused/)
      expect(JSON.parse((yield* cli(["system", "drain", "--json"])).stdout)).toMatchObject({ automation: "draining" })
      const resumed = yield* cli(["system", "resume"])
      expect(resumed.code).toBe(0)
      expect(resumed.stdout).toMatch(/automation\s+running/)
    }))

  it.effect("browser lists the bridge clients", () =>
    Effect.gen(function*() {
      const result = yield* cli(["browser", "--json"])
      expect(result.code).toBe(0)
      expect(JSON.parse(result.stdout)).toEqual({ clients: [], policy: [] })
    }))

  it.effect("a refusal prints the API's message and exits non-zero", () =>
    Effect.gen(function*() {
      const missing = yield* cli(["jobs", "show", "job_missing"])
      expect(missing.code).toBe(1)
      expect(missing.stderr).toBe("error: renewal_job job_missing was not found")
      const conflict = yield* cli(["jobs", "cancel", "job_missing"])
      expect(conflict.code).toBe(1)
      const { conversation } = yield* Seed.conversation()
      const done = yield* Seed.job(conversation.local_conversation_id, { status: "done" })
      const refused = yield* cli(["jobs", "retry", done.job_id])
      expect(refused.stderr).toBe(`error: renewal_job ${done.job_id} is done; only a failed job can be retried`)
      const badLimit = yield* cli(["jobs", "list", "--limit", "0"])
      expect(badLimit).toMatchObject({ code: 1, stderr: "error: limit: must be an integer from 1 to 200" })
    }))

  it.effect("a wrong token, an unreachable daemon and a missing token file fail clearly", () =>
    Effect.gen(function*() {
      const url = yield* Harness.BaseUrl
      const wrong = yield* cli(["status", "--url", url, "--token", "nope"], { bare: true })
      expect(wrong.code).toBe(1)
      expect(wrong.stderr).toContain("a valid token is required")
      const unreachable = yield* cli(["status", "--url", "http://127.0.0.1:9", "--token", "x"], { bare: true })
      expect(unreachable.code).toBe(1)
      expect(unreachable.stderr).toContain("cannot reach the daemon at http://127.0.0.1:9")
      const noToken = yield* cli(["status", "--url", url, "--state-dir", "/nonexistent-state"], { bare: true })
      expect(noToken.code).toBe(2)
      expect(noToken.stderr).toContain("no token")
    }))

  it.effect("status prints the leader, its term and every node with its clients", () =>
    Effect.gen(function*() {
      expect((yield* cli(["status"])).stdout).toMatch(/leader\s+none\n/)
      const leases = yield* Leases
      const now = yield* Clock.currentTimeMillis
      yield* leases.beat({ node_id: "node-test", run_id: "run_test", role: "primary" }, now, now + 60_000)
      yield* leases.beat({ node_id: "node-b", run_id: "run_b", role: "standby" }, now, now + 60_000)
      yield* leases.acquire({ node_id: "node-test", run_id: "run_test" }, now, now + 60_000)
      const printed = (yield* cli(["status"])).stdout
      expect(printed).toMatch(/leader\s+node-test \(term 1, lease until .+Z\)/)
      expect(printed).toMatch(/term\s+1\n/)
      expect(printed).toMatch(/NODE\s+ROLE\s+LEADER\s+LEASE UNTIL\s+CLIENTS/)
      expect(printed).toMatch(/node-test\s+primary\s+yes\s+\S+ \S+\s+-/)
      expect(printed).toMatch(/node-b\s+standby\s+no/)
      const json = JSON.parse((yield* cli(["status", "--json"])).stdout)
      expect(json.system.leader).toMatchObject({ node_id: "node-test", term: 1 })
      expect(json.system.nodes.map((n: { node_id: string }) => n.node_id)).toEqual(["node-b", "node-test"])
    }))
})
