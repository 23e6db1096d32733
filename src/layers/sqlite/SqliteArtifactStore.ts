import * as Reactivity from "@effect/experimental/Reactivity"
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { SqlClient } from "@effect/sql"
import { SqliteClient, SqliteMigrator } from "@effect/sql-sqlite-node"
import { type Duration, Effect, Layer } from "effect"
import { ArtifactStore } from "../../services/ArtifactStore.js"
import * as AttemptClaims from "../sql/attemptClaims.js"
import * as Conversations from "../sql/conversations.js"
import { ReadConnection, transaction } from "../sql/held.js"
import * as JobTransitions from "../sql/jobTransitions.js"
import * as MessageRecords from "../sql/messageRecords.js"
import * as Messages from "../sql/messages.js"
import * as Observations from "../sql/observations.js"
import { storeOf } from "../sql/storeOf.js"
import * as System from "../sql/system.js"
import * as Checkpointer from "./checkpointer.js"
import * as ClaimedWrites from "./claimedWrites.js"
import * as Claims from "./claims.js"
import * as Jobs from "./jobs.js"
import * as Links from "./links.js"
import { loader } from "./migrations/index.js"
import * as Projection from "./projection.js"

/** How long a writer waits for another connection's write to finish before failing. */
const BUSY_TIMEOUT_MS = 10_000
/** Page cache per connection, KiB: the hot index pages of a large history stay in memory. */
export const CACHE_KIB = 65_536

const make = (commitWindow?: Duration.DurationInput) =>
  Effect.gen(function*() {
    const messages = yield* Messages.make()
    const conversations = yield* Conversations.make()
    const links = yield* Links.make
    const jobs = yield* Jobs.make
    const claims = yield* Claims.make
    const attempts = yield* AttemptClaims.make(claims.claim, transaction(yield* SqlClient.SqlClient))
    // Outcomes are group-committed, the ones arriving together written by one statement.
    const claimedWrites = yield* ClaimedWrites.make(commitWindow)
    const transitions = yield* JobTransitions.make({
      writeClaimed: claimedWrites
    })
    const observations = yield* Observations.make({ messages, conversations, links })
    const records = yield* MessageRecords.make
    const projection = yield* Projection.make(jobs, records)
    const system = yield* System.make

    return storeOf({
      messages,
      records,
      conversations,
      links,
      observations,
      jobs,
      transitions,
      claims,
      attempts,
      projection,
      system
    })
  })

const WAL_AUTOCHECKPOINT_PAGES = 100

// Per-connection settings: WAL is set by the client itself; the rest must be set on every open.
const pragmas = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
  yield* sql`PRAGMA foreign_keys = ON`
  yield* sql`PRAGMA synchronous = NORMAL`
  yield* sql.unsafe(`PRAGMA cache_size = -${CACHE_KIB}`)
  // A checkpoint runs inside the commit that crosses the threshold, on the daemon's one thread:
  // at SQLite's default of 1,000 pages it stalls every request for 10–30 ms; at 100 pages, for a
  // few (see docs/storage.md). The daemon moves them off its thread (checkpointer.ts).
  yield* sql.unsafe(`PRAGMA wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`)
})

const database = (filename: string, backgroundCheckpoints: boolean) =>
  Layer.unwrapEffect(
    Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      yield* fs.makeDirectory(path.dirname(path.resolve(filename)), { recursive: true })
      const client = Layer.effectDiscard(pragmas).pipe(Layer.provideMerge(SqliteClient.layer({ filename })))
      return backgroundCheckpoints
        ? Checkpointer.layer(filename, WAL_AUTOCHECKPOINT_PAGES).pipe(Layer.provideMerge(client))
        : client
    })
  )

const migrations = SqliteMigrator.layer({ loader })

/** Page cache of the read connection, KiB: it reads rows the writer has just written, mostly cached by the OS too. */
const READ_CACHE_KIB = 8_192

/**
 * A second, read-only connection to the file for the store's reads outside transactions
 * (`sql/held.ts`): WAL lets it read while the writer writes, and held for the store's lifetime
 * it costs a read one call instead of taking the writer's lock, scope and span each time.
 */
export const readConnection = (filename: string) =>
  Layer.scoped(
    ReadConnection,
    Effect.gen(function*() {
      const client = yield* SqliteClient.make({ filename, readonly: true })
      yield* client.unsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
      yield* client.unsafe(`PRAGMA cache_size = -${READ_CACHE_KIB}`)
      // No other fiber ever takes this client's lock: the connection stays with the store.
      return yield* client.reserve
    }).pipe(Effect.orDie)
  ).pipe(Layer.provide(Reactivity.layer))

/**
 * The store on one SQLite file: creates its directory, opens it in WAL mode, applies pending
 * migrations, then serves. The `SqlClient` is exposed too, for health checks and tools.
 */
export const layer = (options: {
  readonly filename: string
  /** How long a group commit waits for more outcomes; none by default (see sql/groupCommit.ts). */
  readonly commitWindow?: Duration.DurationInput
  /** WAL checkpoints on a connection of their own in a worker thread (the daemon), not in commits. */
  readonly backgroundCheckpoints?: boolean
}) =>
  Layer.scoped(ArtifactStore, make(options.commitWindow)).pipe(
    // Opened once the migrations are in: it reads the file as they left it.
    Layer.provide(readConnection(options.filename)),
    Layer.provide(migrations),
    Layer.provideMerge(database(options.filename, options.backgroundCheckpoints === true)),
    Layer.provide(NodeContext.layer)
  )
