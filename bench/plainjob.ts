import { Effect } from "effect"
import { createRequire } from "node:module"
import { better, defineQueue, defineWorker } from "plainjob"

interface Db {
  pragma(text: string): unknown
  close(): void
}
// The driver @effect/sql-sqlite-node already brings, loaded as plainjob expects it.
const Database = createRequire(import.meta.url)("better-sqlite3") as new(file: string) => Db

/** plainjob's own drain of `jobs` no-op jobs on a fresh file in `dir`: the peer a Node user would pick. */
export const drain = (dir: string, jobs: number) =>
  Effect.promise(async () => {
    const db = new Database(`${dir}/plainjob.db`)
    db.pragma("journal_mode = WAL")
    const queue = defineQueue({ connection: better(db as Parameters<typeof better>[0]), logger: silent })
    queue.addMany("noop", Array.from({ length: jobs }, (_, i) => ({ i })))
    let done = 0
    let finish = () => {}
    const finished = new Promise<void>((resolve) => (finish = resolve))
    const worker = defineWorker("noop", () => {}, {
      queue,
      logger: silent,
      pollIntervall: 1,
      onCompleted: () => {
        if (++done === jobs) finish()
      }
    })
    const start = performance.now()
    void worker.start()
    await finished
    const ms = performance.now() - start
    await worker.stop()
    queue.close()
    db.close()
    return { jobs_per_s: (jobs / ms) * 1000, ms }
  })

const silent = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {} }
