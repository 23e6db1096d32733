import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Effect } from "effect"
import { TOKEN_FILE } from "./DaemonToken.js"

/** Whatever the umask the daemon was started with, what it creates is its user's alone. */
export const UMASK = 0o077
const PRIVATE_FILE = 0o600
const OTHERS = 0o077

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`

/**
 * The state dir, database (and its WAL and SHM), token and logs hold every reply's text. New
 * ones are made private by the umask; ones left readable by an earlier version are narrowed to
 * 0600. A token file others can read is only reported: its owner decides who shares it.
 */
export const secure = (stateDir: string, databaseFile: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const path = yield* Path.Path
    yield* Effect.sync(() => process.umask(UMASK))

    if (yield* fs.exists(stateDir)) {
      const { mode } = yield* fs.stat(stateDir)
      if ((mode & OTHERS) !== 0) {
        yield* Effect.logWarning("StateFiles: the state dir is open to other users; chmod 700 it").pipe(
          Effect.annotateLogs({ path: stateDir, mode: octal(mode) })
        )
      }
    }

    const logs = path.join(stateDir, "logs", "timed-jobs")
    const logFiles = (yield* fs.exists(logs))
      ? (yield* fs.readDirectory(logs)).map((name) => path.join(logs, name))
      : []
    const files = [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, ...logFiles]
    for (const file of files) {
      if (!(yield* fs.exists(file))) continue
      const { mode } = yield* fs.stat(file)
      if ((mode & OTHERS) !== 0) yield* fs.chmod(file, PRIVATE_FILE)
    }

    const token = path.join(stateDir, TOKEN_FILE)
    if (yield* fs.exists(token)) {
      const { mode } = yield* fs.stat(token)
      if ((mode & OTHERS) !== 0) {
        yield* Effect.logWarning("StateFiles: the token file is readable by other users; chmod 600 it").pipe(
          Effect.annotateLogs({ path: token, mode: octal(mode) })
        )
      }
    }
  }).pipe(Effect.catchAll((error) => Effect.logWarning("StateFiles: could not check the state files", error)))
