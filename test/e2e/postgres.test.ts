import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import Pg from "pg"
import { spawnDaemon } from "../support/daemon.js"
import { schemaUrl, storeBackends } from "../support/storeBackends.js"
import { makeTempDir } from "../support/tempStore.js"
import { api, jobsOf, until } from "./api.js"
import { connect, reply } from "./bridgeClient.js"

const postgres = storeBackends.find((b) => b.name === "postgres")

/** Which daemon the shared database says holds a browser client. */
const holderOf = (database: string, client_id: string) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: database })
    await client.connect()
    try {
      const result = await client.query("SELECT node_id FROM bridge_presence WHERE client_id = $1", [client_id])
      return (result.rows[0]?.node_id as string | undefined) ?? null
    } finally {
      await client.end()
    }
  })

describe.skipIf(postgres === undefined)("two daemons on one PostgreSQL database", () => {
  it.live(
    "share their state, and a job made due through one is delivered by the other at once",
    () =>
      Effect.gen(function*() {
        const database = schemaUrl(postgres!.url!, yield* postgres!.makeLocation)
        // A ticks only when woken; B is a standby: its runners stay idle, its API serves.
        const a = yield* spawnDaemon({
          stateDir: yield* makeTempDir,
          args: [
            "--database-url",
            database,
            "--node-id",
            "node-a",
            "--interval-ms",
            "600000",
            "--settle-delay-ms",
            "0",
            "--recheck-delay-ms",
            "600000"
          ]
        })
        const b = yield* spawnDaemon({
          stateDir: yield* makeTempDir,
          args: ["--database-url", database, "--node-id", "node-b", "--role", "standby"]
        })
        const browser = yield* connect(a.wsUrl, a.token, "firefox-pg")

        const seen = yield* reply(browser, { conversation_id: "conv_pg", message_id: "m_seen", tab_id: 5 })
        expect((yield* api(a, "POST", "/v1/timed-jobs/renewal.projector/run")).status).toBe(200)
        const lc = seen.local_conversation_id as string
        expect((yield* api(b, "POST", `/v1/renewal/conversations/${lc}/auto`)).body.data.automation_status).toBe("auto")
        expect((yield* api(b, "POST", "/v1/system/pause")).body.data.automation).toBe("paused")

        yield* reply(browser, { conversation_id: "conv_pg", message_id: "m_pg", tab_id: 5 })
        expect((yield* api(a, "POST", "/v1/timed-jobs/renewal.projector/run")).status).toBe(200)
        // A's dispatcher, woken by its projector, defers the job for the recheck delay (10 minutes).
        const [waiting] = yield* until(
          "the job deferred, as seen through B",
          jobsOf(b, lc),
          (jobs) => jobs[0] !== undefined && jobs[0].next_attempt_at - jobs[0].created_at >= 600000 - 1000
        )
        expect(waiting).toMatchObject({ message_id: "m_pg", status: "pending", attempt_count: 0 })

        // Resuming through B makes it due and wakes B's runners; only the notification reaches A.
        expect((yield* api(b, "POST", "/v1/system/resume")).body.data.automation).toBe("running")
        const delivery = yield* browser.waitFor("the delivery through A", (f) => f.type === "browser.proxy_delivery")
        expect(delivery).toMatchObject({ plan_id: `plan_${waiting.job_id}`, tab_id: 5 })
        const [done] = yield* until(
          "the job done, as seen through B",
          jobsOf(b, lc),
          (jobs) => jobs[0]?.status === "done"
        )
        expect(done).toMatchObject({ attempt_count: 1, last_error: null })
      }).pipe(Effect.scoped),
    60_000
  )

  it.live(
    "two primaries: every job goes to the daemon holding its browser, none fails no_active_client",
    () =>
      Effect.gen(function*() {
        const database = schemaUrl(postgres!.url!, yield* postgres!.makeLocation)
        const fast = ["--interval-ms", "100", "--settle-delay-ms", "0", "--default-automation-status", "auto"]
        const a = yield* spawnDaemon({
          stateDir: yield* makeTempDir,
          args: ["--database-url", database, "--node-id", "node-a", ...fast]
        })
        const b = yield* spawnDaemon({
          stateDir: yield* makeTempDir,
          args: ["--database-url", database, "--node-id", "node-b", ...fast]
        })
        const onA = yield* connect(a.wsUrl, a.token, "browser-on-a")
        const onB = yield* connect(b.wsUrl, b.token, "browser-on-b")
        yield* until("A holding its browser", holderOf(database, "browser-on-a"), (node) => node === "node-a")
        yield* until("B holding its browser", holderOf(database, "browser-on-b"), (node) => node === "node-b")

        const conversations = Array.from({ length: 8 }, (_, i) => i)
        const seen = yield* Effect.forEach(conversations, (i) =>
          reply(i % 2 === 0 ? onA : onB, {
            conversation_id: `conv_route_${i}`,
            message_id: `m_route_${i}`,
            tab_id: 40 + i
          }))
        for (const [i, ack] of seen.entries()) {
          const [job] = yield* until(
            `the job of conversation ${i} done`,
            jobsOf(b, ack.local_conversation_id as string),
            (jobs) => jobs[0]?.status === "done" || jobs[0]?.status === "failed"
          )
          expect(job).toMatchObject({ status: "done", attempt_count: 1, last_error: null })
        }
        const deliveredBy = (frames: ReadonlyArray<Record<string, any>>) =>
          frames.map((f) => f.assistant_message_id).sort()
        expect(deliveredBy(yield* onA.deliveries)).toEqual(
          conversations.filter((i) => i % 2 === 0).map((i) => `m_route_${i}`).sort()
        )
        expect(deliveredBy(yield* onB.deliveries)).toEqual(
          conversations.filter((i) => i % 2 === 1).map((i) => `m_route_${i}`).sort()
        )
      }).pipe(Effect.scoped),
    60_000
  )
})
