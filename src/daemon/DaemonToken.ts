import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Data, Effect, Option, Redacted } from "effect"
import { randomBytes } from "node:crypto"

export const TOKEN_FILE = "token"

/** The token file exists but holds no usable token; the daemon will not guess. */
export class TokenFileInvalid extends Data.TaggedError("TokenFileInvalid")<{ readonly path: string }> {
  override get message() {
    return `${this.path} holds no token; put one in it or delete it to have a new one made`
  }
}

const fresh = () => randomBytes(32).toString("base64url")

/** The token kept in `<stateDir>/token`, if that file exists. */
export const read = (stateDir: string) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const file = (yield* Path.Path).join(stateDir, TOKEN_FILE)
    if (!(yield* fs.exists(file))) return Option.none<Redacted.Redacted<string>>()
    const token = (yield* fs.readFileString(file)).trim()
    if (!/^\S+$/.test(token)) return yield* new TokenFileInvalid({ path: file })
    return Option.some(Redacted.make(token))
  })

/**
 * The token in `<stateDir>/token`, made on first start: a random value written with mode 0600
 * and exclusive creation, so two daemons starting at once still end up sharing one token.
 */
export const readOrCreate = (stateDir: string) =>
  Effect.gen(function*() {
    const existing = yield* read(stateDir)
    if (Option.isSome(existing)) return existing.value
    const fs = yield* FileSystem.FileSystem
    const file = (yield* Path.Path).join(stateDir, TOKEN_FILE)
    yield* fs.makeDirectory(stateDir, { recursive: true })
    const token = fresh()
    const created = yield* fs.writeFileString(file, `${token}\n`, { flag: "wx", mode: 0o600 }).pipe(
      Effect.as(true),
      Effect.catchTag(
        "SystemError",
        (error) => (error.reason === "AlreadyExists" ? Effect.succeed(false) : Effect.fail(error))
      )
    )
    if (created) {
      yield* Effect.logInfo("DaemonToken.created").pipe(Effect.annotateLogs({ path: file }))
      return Redacted.make(token)
    }
    return yield* Effect.flatMap(
      read(stateDir),
      Option.match({
        onNone: () => Effect.fail(new TokenFileInvalid({ path: file })),
        onSome: Effect.succeed
      })
    )
  })

/** `--token` when given, else the state dir's token. */
export const resolve = (explicit: Option.Option<Redacted.Redacted<string>>, stateDir: string) =>
  Option.match(explicit, { onSome: Effect.succeed, onNone: () => readOrCreate(stateDir) })
