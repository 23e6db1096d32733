import { FileSystem, Path } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { type Duration, Effect, Layer, type Scope } from "effect"
import * as SqliteArtifactStore from "../../src/layers/sqlite/SqliteArtifactStore.js"

/** A fresh temporary directory, removed with everything in it when the scope closes. */
export const makeTempDir: Effect.Effect<string, never, Scope.Scope> = Effect.gen(function*() {
  const fs = yield* FileSystem.FileSystem
  return yield* fs.makeTempDirectoryScoped({ prefix: "baa-conductor-test-" })
}).pipe(Effect.orDie, Effect.provide(NodeContext.layer))

/** A path for a database file inside a fresh temporary directory. */
export const makeTempDbFile: Effect.Effect<string, never, Scope.Scope> = Effect.gen(function*() {
  const dir = yield* makeTempDir
  const path = yield* Path.Path
  return path.join(dir, "state", "conductor.sqlite")
}).pipe(Effect.provide(Path.layer))

/** The real SQLite store on a file of its own, deleted when the layer is released. */
export const tempStoreLayer = Layer.unwrapScoped(
  makeTempDbFile.pipe(Effect.map((filename) => SqliteArtifactStore.layer({ filename })))
).pipe(Layer.orDie)

/** The store on a given file: for tests that reopen one file or open it twice. */
export const storeLayerAt = (filename: string, options: { readonly commitWindow?: Duration.DurationInput } = {}) =>
  SqliteArtifactStore.layer({ filename, ...options }).pipe(Layer.orDie)
