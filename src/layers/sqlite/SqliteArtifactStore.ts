import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { SqlClient } from "@effect/sql"
import { SqliteClient, SqliteMigrator } from "@effect/sql-sqlite-node"
import { Effect, Layer } from "effect"
import { ArtifactStore } from "../../services/ArtifactStore.js"
import * as Claims from "./claims.js"
import * as Conversations from "./conversations.js"
import * as Jobs from "./jobs.js"
import * as JobTransitions from "./jobTransitions.js"
import * as Links from "./links.js"
import { loader } from "./migrations/index.js"
import * as Messages from "./messages.js"
import * as Observations from "./observations.js"
import * as Projection from "./projection.js"
import * as System from "./system.js"

/** How long a writer waits for another connection's write to finish before failing. */
const BUSY_TIMEOUT_MS = 10_000
/** Page cache per connection, KiB: the hot index pages of a large history stay in memory. */
const CACHE_KIB = 65_536

const make = Effect.gen(function* () {
  const messages = yield* Messages.make
  const conversations = yield* Conversations.make
  const links = yield* Links.make
  const jobs = yield* Jobs.make
  const claims = yield* Claims.make
  const transitions = yield* JobTransitions.make
  const observations = yield* Observations.make({ messages, conversations, links })
  const projection = yield* Projection.make(jobs)
  const system = yield* System.make

  return ArtifactStore.of({
    insertMessage: (m) => messages.insert(m).pipe(Effect.withSpan("ArtifactStore.insertMessage")),
    messagesAfter: (after, limit) => messages.after(after, limit).pipe(Effect.withSpan("ArtifactStore.messagesAfter")),
    findConversation: (key) => conversations.find(key).pipe(Effect.withSpan("ArtifactStore.findConversation")),
    findOrCreateConversation: (input) =>
      conversations.findOrCreate(input).pipe(Effect.withSpan("ArtifactStore.findOrCreateConversation")),
    getConversation: (id) => conversations.get(id).pipe(Effect.withSpan("ArtifactStore.getConversation")),
    listConversations: (filter) => conversations.list(filter).pipe(Effect.withSpan("ArtifactStore.listConversations")),
    setAutomationStatus: (id, status) =>
      conversations.setStatus(id, status).pipe(Effect.withSpan("ArtifactStore.setAutomationStatus")),
    upsertLink: (link) => links.upsert(link).pipe(Effect.withSpan("ArtifactStore.upsertLink")),
    deactivateTabLinks: (client_id, tab_id) =>
      links.deactivateTab(client_id, tab_id).pipe(Effect.withSpan("ArtifactStore.deactivateTabLinks")),
    activeLink: (id) => links.active(id).pipe(Effect.withSpan("ArtifactStore.activeLink")),
    listLinks: (filter) => links.list(filter).pipe(Effect.withSpan("ArtifactStore.listLinks")),
    recordObservation: (o) => observations.record(o).pipe(Effect.withSpan("ArtifactStore.recordObservation")),
    insertJob: (job) => jobs.insert(job).pipe(Effect.withSpan("ArtifactStore.insertJob")),
    getJob: (id) => jobs.get(id).pipe(Effect.withSpan("ArtifactStore.getJob")),
    listJobs: (filter) => jobs.list(filter).pipe(Effect.withSpan("ArtifactStore.listJobs")),
    updateJob: (id, patch) => jobs.update(id, patch).pipe(Effect.withSpan("ArtifactStore.updateJob")),
    transitionJob: (id, from, patch) =>
      transitions.transition(id, from, patch).pipe(Effect.withSpan("ArtifactStore.transitionJob")),
    makePendingJobsDue: (request) =>
      transitions.makeDue(request).pipe(Effect.withSpan("ArtifactStore.makePendingJobsDue")),
    claimDueJobs: (request) => claims.claim(request).pipe(Effect.withSpan("ArtifactStore.claimDueJobs")),
    staleRunningJobs: (query) => claims.stale(query).pipe(Effect.withSpan("ArtifactStore.staleRunningJobs")),
    nextDueAt: claims.nextDueAt.pipe(Effect.withSpan("ArtifactStore.nextDueAt")),
    projectorCursor: projection.cursor.pipe(Effect.withSpan("ArtifactStore.projectorCursor")),
    commitProjection: (cursor, batch) =>
      projection.commit(cursor, batch).pipe(Effect.withSpan("ArtifactStore.commitProjection")),
    systemAutomation: system.automation.pipe(Effect.withSpan("ArtifactStore.systemAutomation")),
    setSystemAutomation: (state) => system.setAutomation(state).pipe(Effect.withSpan("ArtifactStore.setSystemAutomation"))
  })
})

// Per-connection settings: WAL is set by the client itself; the rest must be set on every open.
const pragmas = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql.unsafe(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`)
  yield* sql`PRAGMA foreign_keys = ON`
  yield* sql`PRAGMA synchronous = NORMAL`
  yield* sql.unsafe(`PRAGMA cache_size = -${CACHE_KIB}`)
})

const database = (filename: string) =>
  Layer.unwrapEffect(
    Effect.gen(function* () {
      const fs = yield* FileSystem.FileSystem
      const path = yield* Path.Path
      yield* fs.makeDirectory(path.dirname(path.resolve(filename)), { recursive: true })
      return Layer.effectDiscard(pragmas).pipe(Layer.provideMerge(SqliteClient.layer({ filename })))
    })
  )

const migrations = SqliteMigrator.layer({ loader })

/**
 * The store on one SQLite file: creates its directory, opens it in WAL mode, applies pending
 * migrations, then serves. The `SqlClient` is exposed too, for health checks and tools.
 */
export const layer = (options: { readonly filename: string }) =>
  Layer.effect(ArtifactStore, make).pipe(
    Layer.provide(migrations),
    Layer.provideMerge(database(options.filename)),
    Layer.provide(NodeContext.layer)
  )
