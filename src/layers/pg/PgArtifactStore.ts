import * as NodeContext from "@effect/platform-node/NodeContext"
import type { SqlClient } from "@effect/sql"
import { PgClient, PgMigrator } from "@effect/sql-pg"
import { type Duration, Effect, Layer, type Redacted } from "effect"
import Pg from "pg"
import { ArtifactStore } from "../../services/ArtifactStore.js"
import * as AttemptClaims from "../sql/attemptClaims.js"
import * as Conversations from "../sql/conversations.js"
import * as Dialect from "../sql/dialect.js"
import * as JobTransitions from "../sql/jobTransitions.js"
import * as MessageRecords from "../sql/messageRecords.js"
import * as Messages from "../sql/messages.js"
import * as Observations from "../sql/observations.js"
import { storeOf } from "../sql/storeOf.js"
import * as System from "../sql/system.js"
import * as ClaimedWrites from "./claimedWrites.js"
import * as Claims from "./claims.js"
import * as Jobs from "./jobs.js"
import * as Links from "./links.js"
import { loader } from "./migrations/index.js"
import * as Projection from "./projection.js"
import * as SeqFence from "./seqFence.js"

const INT8_OID = 20

/**
 * Times and `seq` are BIGINT; node-postgres hands those back as strings by default. Epoch
 * milliseconds and sequence numbers stay far below 2^53, so numbers are exact.
 */
export const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary"
      ? (value: string) => Number(value)
      : Pg.types.getTypeParser(oid, format ?? "text")) as typeof Pg.types.getTypeParser
}

// The same modules as SQLite where the SQL is the same; PostgreSQL's own where it is not.
const make = (commitWindow?: Duration.DurationInput) =>
  Effect.gen(function*() {
    const messages = yield* Messages.make(yield* SeqFence.make())
    const conversations = yield* Conversations.make(Dialect.postgres)
    const links = yield* Links.make
    const jobs = yield* Jobs.make
    const claims = yield* Claims.make
    const attempts = yield* AttemptClaims.make(claims.claim, (self) => self)
    const claimedWrites = yield* ClaimedWrites.make(commitWindow)
    const transitions = yield* JobTransitions.make({
      dialect: Dialect.postgres,
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

/** The connection pool: one per daemon; `LISTEN` takes one more connection of its own. */
export const client = (options: { readonly url: Redacted.Redacted<string>; readonly maxConnections?: number }) =>
  PgClient.layer({
    url: options.url,
    types,
    maxConnections: options.maxConnections ?? 10,
    applicationName: "baa-conductor"
  })

const migrations = PgMigrator.layer({ loader }).pipe(Layer.provide(NodeContext.layer))

/** The store over a given client (the bench brings one whose connections report their plans). */
export const layerWith = <E>(
  pgClient: Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, E>,
  commitWindow?: Duration.DurationInput
) =>
  Layer.scoped(ArtifactStore, make(commitWindow)).pipe(
    Layer.provide(migrations),
    Layer.provideMerge(pgClient)
  )

/**
 * The store on a PostgreSQL database, same contract as the SQLite one: connects, applies
 * pending migrations (one node at a time), then serves. The `SqlClient` and `PgClient` are
 * exposed too, for health checks, tools and cross-node wake-ups.
 */
export const layer = (options: {
  readonly url: Redacted.Redacted<string>
  readonly maxConnections?: number
  /** How long a group commit waits for more outcomes; none by default (see sql/groupCommit.ts). */
  readonly commitWindow?: Duration.DurationInput
}) => layerWith(client(options), options.commitWindow)
