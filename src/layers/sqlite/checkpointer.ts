import { SqlClient } from "@effect/sql"
import { Deferred, Duration, Effect, Exit, Layer } from "effect"
import { createRequire } from "node:module"
import { Worker } from "node:worker_threads"

/**
 * How often the background connection folds the WAL into the database file. Every 100 ms, the
 * daemon's thread never stayed quiet long enough for V8's memory reducer: 1,000 bridge clients
 * gone, the heap stayed 80 MB above idle; every second, it comes back.
 */
export const CHECKPOINT_EVERY = Duration.seconds(1)

// A worker of its own (CommonJS, by path, so it runs the same from the build and from sources):
// its connection answers each message with one PASSIVE checkpoint, which never waits for the
// daemon's readers or writer and never makes them wait.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads")
const Database = require(workerData.driver)
const db = new Database(workerData.filename, { fileMustExist: true })
parentPort.on("message", () => {
  try {
    db.pragma("wal_checkpoint(PASSIVE)")
    parentPort.postMessage(null)
  } catch (error) {
    parentPort.postMessage(String(error))
  }
})
`

interface Background {
  readonly worker: Worker
  /** Fails once the worker has failed or exited. */
  readonly lost: Deferred.Deferred<never, Error>
}

const start = (filename: string) =>
  Effect.acquireRelease(
    Effect.gen(function*() {
      const lost = yield* Deferred.make<never, Error>()
      const worker = new Worker(WORKER, {
        eval: true,
        workerData: { filename, driver: createRequire(import.meta.url).resolve("better-sqlite3") }
      })
      const fail = (error: Error) => Deferred.unsafeDone(lost, Exit.fail(error))
      worker.on("error", (error) => fail(new Error("checkpoint worker failed", { cause: error })))
      worker.on("exit", (code) => fail(new Error(`checkpoint worker exited with ${code}`)))
      return { worker, lost } satisfies Background
    }),
    // Its connection is closed with the thread; the main connection's close does the last checkpoint.
    ({ worker }) => Effect.promise(() => worker.terminate())
  )

const checkpoint = (worker: Worker) =>
  Effect.async<void, Error>((resume) => {
    const onMessage = (error: string | null) =>
      resume(error === null ? Effect.void : Effect.fail(new Error(`checkpoint failed: ${error}`)))
    worker.once("message", onMessage)
    worker.postMessage("checkpoint")
    return Effect.sync(() => worker.off("message", onMessage))
  })

/**
 * WAL checkpoints off the daemon's thread. SQLite's automatic checkpoint runs inside the commit
 * that crosses its threshold, on the one thread every request, reply and delivery shares, and
 * with the disk flushes `synchronous = NORMAL` defers to it: a few ms, every few replies. Here
 * the main connection never checkpoints; a second connection in a worker thread does, every
 * `CHECKPOINT_EVERY` (nothing to do when nothing was written). Should that connection fail, the
 * main one checkpoints in its commits again, every `fallbackPages`.
 */
export const layer = (filename: string, fallbackPages: number): Layer.Layer<never, never, SqlClient.SqlClient> =>
  Layer.scopedDiscard(
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* Effect.orDie(sql`PRAGMA wal_autocheckpoint = 0`)
      const { lost, worker } = yield* start(filename)
      yield* checkpoint(worker).pipe(
        Effect.delay(CHECKPOINT_EVERY),
        Effect.forever,
        Effect.raceFirst(Deferred.await(lost)),
        Effect.catchAll((error) =>
          Effect.logWarning("SQLite background checkpoints stopped; checkpointing in commits again", error).pipe(
            Effect.zipRight(Effect.ignore(sql.unsafe(`PRAGMA wal_autocheckpoint = ${fallbackPages}`)))
          )
        ),
        Effect.forkScoped
      )
    })
  )
