import * as FileSystem from "@effect/platform/FileSystem"
import { Effect } from "effect"

const DAY_FILE = /^(\d{4}-\d{2}-\d{2})\.jsonl$/

/**
 * Removes `<day>.jsonl` files of days before `day` (both `YYYY-MM-DD`, which sort as dates);
 * anything else in the directory is left alone. A file that cannot be removed is reported and
 * skipped: retention never fails a tick.
 */
export const removeDaysBefore = (directory: string, day: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const names = yield* fs.readDirectory(directory).pipe(Effect.orElseSucceed((): ReadonlyArray<string> => []))
    const old = names.filter((name) => (DAY_FILE.exec(name)?.[1] ?? day) < day).sort()
    const removed: Array<string> = []
    for (const name of old) {
      yield* fs.remove(`${directory}/${name}`).pipe(
        Effect.zipRight(Effect.sync(() => removed.push(name))),
        Effect.catchAll((error) => Effect.logWarning("RenewalLog.removeBefore failed", error))
      )
    }
    return removed as ReadonlyArray<string>
  })
