import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { spawnDaemon } from "../support/daemon.js"
import { schemaUrl, storeBackends } from "../support/storeBackends.js"
import { makeTempDir } from "../support/tempStore.js"
import { api, jobsOf, until } from "./api.js"
import { connect, reply } from "./bridgeClient.js"

const postgres = storeBackends.find((b) => b.name === "postgres")

/** The timed-jobs log lines a daemon has flushed so far. */
const logLines = (stateDir: string) =>
  Effect.sync(() => {
    const dir = join(stateDir, "logs", "timed-jobs")
    const files = (() => {
      try {
        return readdirSync(dir).filter((f) => f.endsWith(".jsonl"))
      } catch {
        return []
      }
    })()
    return files.flatMap((f) =>
      readFileSync(join(dir, f), "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l))
    )
  })

describe.skipIf(postgres === undefined)("leadership across daemons on one PostgreSQL database", () => {
  it.live(
    "one leader; when it is killed the other leads under the next term and recovers its running job",
    () =>
      Effect.gen(function*() {
        const database = schemaUrl(postgres!.url!, yield* postgres!.makeLocation)
        const flags = [
          "--database-url",
          database,
          "--lease-ms",
          "2000",
          "--interval-ms",
          "100",
          "--settle-delay-ms",
          "0",
          "--default-automation-status",
          "auto",
          "--execution-timeout-ms",
          "600000"
        ]
        const a = yield* spawnDaemon({ stateDir: yield* makeTempDir, args: [...flags, "--node-id", "node-a"] })
        const b = yield* spawnDaemon({ stateDir: yield* makeTempDir, args: [...flags, "--node-id", "node-b"] })
        const state = Effect.map(api(b, "GET", "/v1/system/state"), (r) => r.body.data)
        const both = yield* until("both nodes seen", state, (s) => s.nodes.length === 2 && s.leader !== null)
        expect(both.leader).toMatchObject({ node_id: "node-a", term: 1 })
        expect(both.nodes.map((n: { node_id: string; leader: boolean }) => [n.node_id, n.leader])).toEqual([
          ["node-a", true],
          ["node-b", false]
        ])

        // A browser on A that never answers: its job stays running on A.
        const browser = yield* connect(a.wsUrl, a.token, "firefox-silent")
        yield* browser.answer({ kind: "silent" })
        yield* until("A showing its client", state, (s) => s.nodes[0].clients.includes("firefox-silent"))
        const seen = yield* reply(browser, { conversation_id: "conv_lead", message_id: "m_lead", tab_id: 3 })
        const lc = seen.local_conversation_id as string
        yield* until("the job running on A", jobsOf(b, lc), (jobs) => jobs[0]?.status === "running")

        yield* a.stop("SIGKILL")
        const led = yield* until("B leading", state, (s) => s.leader?.node_id === "node-b")
        expect(led.leader.term).toBe(2)
        const lines = yield* until(
          "B's log of A's lapsed lease",
          logLines(b.stateDir),
          (all) => all.some((l) => l.stage === "node_lease_expired")
        )
        expect(lines.filter((l) => l.stage === "node_lease_expired")).toEqual([
          expect.objectContaining({
            result: "recovered",
            details: expect.objectContaining({ node_id: "node-a", recovered_by: "node-b", recovered_jobs: 1 })
          })
        ])
        const [job] = yield* jobsOf(b, lc)
        expect(job.attempt_count).toBeGreaterThanOrEqual(1)
        expect((yield* state).nodes.map((n: { node_id: string }) => n.node_id)).toEqual(["node-b"])
      }).pipe(Effect.scoped),
    60_000
  )
})
