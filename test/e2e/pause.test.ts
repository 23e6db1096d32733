import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { spawnDaemon, type DaemonProcess } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { api, jobsOf, until } from "./api.js"
import { connect, reply } from "./bridgeClient.js"

/** The dispatcher's `job_deferred` lines about one job, from the JSONL logs on disk. */
const deferrals = (daemon: DaemonProcess, job_id: string) =>
  Effect.sync(() => {
    const dir = join(daemon.stateDir, "logs", "timed-jobs")
    return readdirSync(dir)
      .flatMap((file) => readFileSync(join(dir, file), "utf8").split("\n"))
      .filter((line) => line !== "")
      .map((line) => JSON.parse(line))
      .filter((entry) => entry.stage === "job_deferred" && entry.details?.job_id === job_id)
      .map((entry) => entry.result as string)
  })

describe("pausing through the real daemon", () => {
  it.scopedLive("system and conversation pauses defer a job without counting attempts; resuming delivers it at once", () =>
    Effect.gen(function* () {
      // A recheck delay far beyond any wait here: a delivery after resuming proves it went at once.
      const daemon = yield* spawnDaemon({
        stateDir: yield* makeTempDir,
        args: ["--interval-ms", "200", "--default-automation-status", "auto", "--recheck-delay-ms", "600000"]
      })
      const browser = yield* connect(daemon.wsUrl, daemon.token, "firefox-pause")

      expect((yield* api(daemon, "POST", "/v1/system/pause")).body.data.automation).toBe("paused")
      const ack = yield* reply(browser, { conversation_id: "conv_pause", message_id: "m_pause", tab_id: 3 })
      const lc = ack.local_conversation_id
      const [job] = yield* until("a job", jobsOf(daemon, lc), (jobs) => jobs.length === 1)
      yield* until("a system_paused deferral", deferrals(daemon, job.job_id), (d) => d.includes("system_paused"))
      const waiting = (yield* jobsOf(daemon, lc))[0]
      expect(waiting).toMatchObject({ status: "pending", attempt_count: 0 })
      expect(waiting.next_attempt_at - waiting.created_at).toBeGreaterThanOrEqual(600000 - 1000)

      // The conversation paused too: resuming the system re-checks the job, which now waits on the conversation.
      yield* api(daemon, "POST", `/v1/renewal/conversations/${lc}/paused`)
      yield* api(daemon, "POST", "/v1/system/resume")
      yield* until("an automation_paused deferral", deferrals(daemon, job.job_id), (d) => d.includes("automation_paused"))
      expect((yield* jobsOf(daemon, lc))[0]).toMatchObject({ status: "pending", attempt_count: 0 })
      expect(yield* browser.deliveries).toEqual([])

      yield* api(daemon, "POST", `/v1/renewal/conversations/${lc}/auto`)
      const delivery = yield* browser.waitFor("the delivery after auto", (f) => f.type === "browser.proxy_delivery")
      expect(delivery).toMatchObject({ plan_id: `plan_${job.job_id}`, tab_id: 3 })
      const [done] = yield* until("the job done", jobsOf(daemon, lc), (jobs) => jobs[0]?.status === "done")
      expect(done.attempt_count).toBe(1)
    }))
})
