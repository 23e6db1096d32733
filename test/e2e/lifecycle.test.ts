import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { api, data, jobsOf, until } from "./api.js"
import { connect, reply } from "./bridgeClient.js"

const ARGS = [
  "--interval-ms",
  "200",
  "--default-automation-status",
  "auto",
  "--retry-base-delay-ms",
  "50",
  "--retry-max-delay-ms",
  "100",
  "--max-attempts",
  "10"
]

describe("the daemon process across stops and crashes", () => {
  it.scopedLive("exits 0 on SIGTERM and repeats no work after a restart; after kill -9 mid-delivery it delivers the job again with the same plan_id", () =>
    Effect.gen(function*() {
      const stateDir = yield* makeTempDir

      // 1. A job delivered and done, then a clean stop.
      const first = yield* spawnDaemon({ stateDir, args: ARGS })
      const lc = yield* Effect.scoped(
        Effect.gen(function*() {
          const browser = yield* connect(first.wsUrl, first.token, "firefox-life")
          const ack = yield* reply(browser, { conversation_id: "conv_life", message_id: "m_one", tab_id: 9 })
          yield* until("the job done", jobsOf(first, ack.local_conversation_id), (jobs) => jobs[0]?.status === "done")
          return ack.local_conversation_id as string
        })
      )
      expect(yield* first.stop("SIGTERM")).toBe(0)

      // 2. Restarted on the same state: same token, nothing projected or sent again.
      const second = yield* spawnDaemon({ stateDir, args: ARGS })
      expect(second.token).toBe(first.token)
      const { inFlight } = yield* Effect.scoped(
        Effect.gen(function*() {
          const browser = yield* connect(second.wsUrl, second.token, "firefox-life")
          yield* api(second, "POST", "/v1/timed-jobs/renewal.projector/run")
          yield* api(second, "POST", "/v1/timed-jobs/renewal.dispatcher/run")
          const jobs = yield* jobsOf(second, lc)
          expect(jobs).toHaveLength(1)
          expect(jobs[0]).toMatchObject({ status: "done", attempt_count: 1 })
          expect(yield* browser.deliveries).toEqual([])
          expect((yield* data(second, "/v1/browser")).clients[0]).toMatchObject({
            client_id: "firefox-life",
            status: "fresh"
          })

          // 3. A delivery left unanswered, and the daemon killed while it is in flight.
          yield* browser.answer({ kind: "silent" })
          yield* reply(browser, { conversation_id: "conv_life", message_id: "m_two", tab_id: 9 })
          const inFlight = yield* browser.waitFor("the delivery of m_two", (f) => f.type === "browser.proxy_delivery")
          yield* until("the job running", jobsOf(second, lc), (jobs) => jobs[0]?.status === "running")
          expect(yield* second.stop("SIGKILL")).toBeNull()
          return { inFlight }
        })
      )

      // 4. The next start recovers it and delivers it again under the same plan.
      const third = yield* spawnDaemon({ stateDir, args: ARGS })
      const browser = yield* connect(third.wsUrl, third.token, "firefox-life")
      const again = yield* browser.waitFor("the delivery again", (f) => f.type === "browser.proxy_delivery")
      expect(again).toMatchObject({ plan_id: inFlight.plan_id, tab_id: 9, assistant_message_id: "m_two" })
      const [job] = yield* until("the job done", jobsOf(third, lc), (jobs) => jobs[0]?.status === "done")
      expect(inFlight.plan_id).toBe(`plan_${job.job_id}`)
      expect(job.attempt_count).toBeGreaterThanOrEqual(2)
      expect((yield* jobsOf(third, lc)).map((j: { status: string }) => j.status)).toEqual(["done", "done"])
      expect(yield* third.stop("SIGTERM")).toBe(0)
    }))
})
