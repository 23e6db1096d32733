import { describe, expect, it } from "@effect/vitest"
import { Effect, Schedule } from "effect"
import { chmodSync, existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { spawnDaemon } from "../support/daemon.js"
import { makeTempDir } from "../support/tempStore.js"
import { api } from "./api.js"

const modeOf = (path: string) => `0${(statSync(path).mode & 0o777).toString(8)}`

/** Runs with the process umask set to `umask`, as a shell's `umask 022` would for the daemon it starts. */
const withUmask = <A, E, R>(umask: number, effect: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => process.umask(umask)),
    () => effect,
    (previous) => Effect.sync(() => process.umask(previous))
  )

describe("state files", () => {
  it.scopedLive("are private under umask 022: the state dir 0700, the database, WAL, SHM, token and logs 0600", () =>
    Effect.gen(function*() {
      const stateDir = join(yield* makeTempDir, "state")
      const daemon = yield* withUmask(0o022, spawnDaemon({ stateDir }))
      // A tick writes the timed-jobs log.
      expect((yield* api(daemon, "POST", "/v1/timed-jobs/renewal.projector/run")).status).toBe(200)

      const logs = join(stateDir, "logs", "timed-jobs")
      const files = ["conductor.db", "conductor.db-wal", "conductor.db-shm", "token"].map((f) => join(stateDir, f))
      // The log is written in batches (at least every 100 ms): wait for the day's file.
      const logFiles = yield* Effect.sync(() => readdirSync(logs).map((f) => join(logs, f))).pipe(
        Effect.filterOrFail((found) => found.length > 0, () => "no log file yet"),
        Effect.retry({ schedule: Schedule.spaced("50 millis"), times: 100 })
      )
      expect(logFiles.length).toBeGreaterThan(0)
      expect(modeOf(stateDir)).toBe("0700")
      expect(modeOf(logs)).toBe("0700")
      for (const file of [...files, ...logFiles]) {
        expect(existsSync(file)).toBe(true)
        expect([file, modeOf(file)]).toEqual([file, "0600"])
      }
      expect(yield* daemon.stop("SIGTERM")).toBe(0)

      // Left readable by hand (or by an older version): the database is narrowed, the token reported.
      chmodSync(files[0]!, 0o644)
      chmodSync(files[3]!, 0o644)
      const again = yield* withUmask(0o022, spawnDaemon({ stateDir }))
      expect(modeOf(files[0]!)).toBe("0600")
      expect(yield* again.output).toMatch(/token file is readable by other users/)
      expect(yield* again.stop("SIGTERM")).toBe(0)
    }))
})
