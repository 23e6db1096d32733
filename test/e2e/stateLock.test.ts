import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { jobsOf, until } from "./api.js"
import { connect, reply } from "./bridgeClient.js"

const ARGS = ["--interval-ms", "200", "--default-automation-status", "auto", "--execution-timeout-ms", "60000"]

describe("one daemon per state directory", () => {
  it.scopedLive("a second start on the same state dir exits 2 naming the running pid and leaves the in-flight job alone; a stale lock is taken over", () =>
    Effect.gen(function*() {
      const stateDir = yield* makeTempDir
      const first = yield* spawnDaemon({ stateDir, args: ARGS })
      expect(readFileSync(join(stateDir, "daemon.lock"), "utf8").trim()).toBe(String(first.pid))

      const browser = yield* connect(first.wsUrl, first.token, "firefox-lock")
      yield* browser.answer({ kind: "silent" })
      const ack = yield* reply(browser, { conversation_id: "conv_lock", message_id: "m_lock", tab_id: 4 })
      const [running] = yield* until(
        "the job in flight",
        jobsOf(first, ack.local_conversation_id),
        (jobs) => jobs[0]?.status === "running"
      )

      const second = yield* spawnDaemon({ stateDir, args: ARGS }).pipe(Effect.flip)
      expect(second.reason).toBe("the daemon exited with 2 before it was ready")
      expect(second.output).toContain(`another daemon (pid ${first.pid}) is running on state directory ${stateDir}`)

      // Nothing recovered, retried or rewritten by the refused start.
      const [after] = yield* jobsOf(first, ack.local_conversation_id)
      expect(after).toEqual(running)
      expect(readFileSync(join(stateDir, "daemon.lock"), "utf8").trim()).toBe(String(first.pid))

      // A lock left by a daemon killed with -9 is taken over by the next start; a clean stop releases it.
      expect(yield* first.stop("SIGKILL")).toBeNull()
      expect(existsSync(join(stateDir, "daemon.lock"))).toBe(true)
      const next = yield* spawnDaemon({ stateDir, args: ARGS })
      expect(readFileSync(join(stateDir, "daemon.lock"), "utf8").trim()).toBe(String(next.pid))
      expect(yield* next.stop("SIGTERM")).toBe(0)
      expect(existsSync(join(stateDir, "daemon.lock"))).toBe(false)
    }))
})
