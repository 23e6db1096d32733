import type { SqlClient } from "@effect/sql"
import type * as Migrator from "@effect/sql/Migrator"
import { type Duration, Effect, Layer, Redacted, type Scope } from "effect"
import Pg from "pg"
import { inject } from "vitest"
import { loader as pgMigrations } from "../../src/layers/pg/migrations/index.js"
import * as PgArtifactStore from "../../src/layers/pg/PgArtifactStore.js"
import { loader as sqliteMigrations } from "../../src/layers/sqlite/migrations/index.js"
import type { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { makeTempDbFile, storeLayerAt } from "./tempStore.js"

/** One implementation of the store, as the contract suite sees it. */
export interface StoreBackend {
  readonly name: string
  /** A fresh, empty store, gone when the layer is released. */
  readonly layer: Layer.Layer<ArtifactStore | SqlClient.SqlClient>
  /** A place for a store that outlives one layer (a file, a schema), removed with the scope. */
  readonly makeLocation: Effect.Effect<string, never, Scope.Scope>
  /** The store at a location: open it twice, or again after closing it. */
  readonly layerAt: (
    location: string,
    options?: { readonly commitWindow?: Duration.DurationInput }
  ) => Layer.Layer<ArtifactStore | SqlClient.SqlClient>
  /** Its numbered migrations. */
  readonly migrations: Migrator.Loader
  /** The server's URL, for PostgreSQL: tests of what spans nodes. */
  readonly url?: string
}

const sqlite: StoreBackend = {
  name: "sqlite",
  migrations: sqliteMigrations,
  layer: Layer.unwrapScoped(Effect.map(makeTempDbFile, storeLayerAt)),
  makeLocation: makeTempDbFile,
  layerAt: (location, options) => storeLayerAt(location, options)
}

const adminQuery = (url: string, statement: string) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(statement)
    } finally {
      await client.end()
    }
  })

let schemas = 0

/** The server's URL with a schema as the connection's `search_path`. */
export const schemaUrl = (url: string, schema: string) =>
  `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`

/**
 * Each store gets a schema of its own on the shared server, named in its connection's
 * `search_path`, so tests run side by side without seeing each other's rows.
 */
const postgres = (url: string): StoreBackend => {
  const makeLocation = Effect.acquireRelease(
    Effect.sync(() => `t_${process.pid}_${++schemas}_${Math.random().toString(36).slice(2, 8)}`).pipe(
      Effect.tap((schema) => adminQuery(url, `CREATE SCHEMA ${schema}`))
    ),
    (schema) => adminQuery(url, `DROP SCHEMA ${schema} CASCADE`)
  )
  const layerAt = (schema: string, options: { readonly commitWindow?: Duration.DurationInput } = {}) =>
    PgArtifactStore.layer({
      url: Redacted.make(schemaUrl(url, schema)),
      maxConnections: 4,
      ...options
    }).pipe(Layer.orDie)
  return {
    name: "postgres",
    url,
    migrations: pgMigrations,
    layer: Layer.unwrapScoped(Effect.map(makeLocation, (schema) => layerAt(schema))),
    makeLocation,
    layerAt
  }
}

const postgresUrl = inject("postgresUrl")

/** Every store implementation available here: SQLite always, PostgreSQL when the harness started one. */
export const storeBackends: ReadonlyArray<StoreBackend> = postgresUrl === ""
  ? [sqlite]
  : [sqlite, postgres(postgresUrl)]
