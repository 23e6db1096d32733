import { Data, Effect } from "effect"
import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs"
import { join } from "node:path"

export const LOCK_FILE = "daemon.lock"

/** Another live daemon holds this state directory. */
export class DaemonAlreadyRunning extends Data.TaggedError("DaemonAlreadyRunning")<{
  readonly pid: number
  readonly stateDir: string
}> {
  override get message() {
    return `another daemon (pid ${this.pid}) is running on state directory ${this.stateDir}; stop it first`
  }
}

const pidIn = (file: string): number | undefined => {
  try {
    const pid = Number.parseInt(readFileSync(file, "utf8").trim(), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

const errno = (error: unknown) => (error as NodeJS.ErrnoException).code

/**
 * One attempt: the pid goes into a private file first, then `link` puts it in place, which
 * fails if a lock exists, so the lock never holds a half-written pid. A lock whose process is
 * gone (kill -9, power loss) is moved aside with `rename`, which only one contender wins.
 */
const tryLock = (stateDir: string): "locked" | "retry" | DaemonAlreadyRunning => {
  const lock = join(stateDir, LOCK_FILE)
  const mine = join(stateDir, `${LOCK_FILE}.${process.pid}`)
  writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 })
  try {
    linkSync(mine, lock)
    return "locked"
  } catch (error) {
    if (errno(error) !== "EEXIST") throw error
  } finally {
    unlinkSync(mine)
  }
  const holder = pidIn(lock)
  if (holder !== undefined && holder !== process.pid && alive(holder)) {
    return new DaemonAlreadyRunning({ pid: holder, stateDir })
  }
  const stale = join(stateDir, `${LOCK_FILE}.stale.${process.pid}`)
  try {
    renameSync(lock, stale)
  } catch (error) {
    if (errno(error) === "ENOENT") return "retry" // another contender moved it first
    throw error
  }
  // What was moved must be the lock judged stale; a fresh one taken meanwhile goes back.
  if (pidIn(stale) !== holder) {
    try {
      linkSync(stale, lock)
    } catch {
      // A third contender has locked meanwhile; theirs stands.
    }
  }
  unlinkSync(stale)
  return "retry"
}

/**
 * Holds `<stateDir>/daemon.lock` (the daemon's pid) for the scope: taken before the store is
 * opened, so a second daemon on the same state directory stops before it touches any job,
 * naming the pid that runs. Released (removed, if still ours) when the daemon stops.
 */
export const acquire = (stateDir: string) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      yield* Effect.sync(() => mkdirSync(stateDir, { recursive: true }))
      for (let attempt = 0; attempt < 5; attempt++) {
        const result = yield* Effect.sync(() => tryLock(stateDir))
        if (result === "locked") return join(stateDir, LOCK_FILE)
        if (result !== "retry") return yield* result
      }
      return yield* Effect.dieMessage(`could not take ${join(stateDir, LOCK_FILE)}: it keeps changing`)
    }),
    (lock) =>
      Effect.sync(() => {
        if (pidIn(lock) === process.pid) unlinkSync(lock)
      })
  )
