import { Either, Option, Redacted } from "effect"
import { resolve } from "node:path"

const SCHEME = /^([a-z][a-z0-9+.-]*):/i

/**
 * The SQLite file named by `--database-url`: `sqlite:<path>`, `sqlite://<path>` or a plain path,
 * resolved against the working directory. Any other scheme is refused by name only, so a URL
 * that carries a password is never echoed.
 */
export const databaseFileOf = (url: string): Either.Either<string, string> => {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase()
  if (scheme === undefined || /^[a-z]:[\\/]/i.test(url)) {
    return url.trim() === "" ? Either.left("must name a file") : Either.right(resolve(url))
  }
  if (scheme !== "sqlite") {
    return Either.left(`only sqlite:<path> (or a plain file path) or postgres://… is supported, not ${scheme}:`)
  }
  const path = url.slice("sqlite:".length).replace(/^\/\/(?=\/)/, "").replace(/^\/\//, "")
  return path === ""
    ? Either.left("sqlite: needs a file path, e.g. sqlite:./conductor.db")
    : Either.right(resolve(path))
}

const POSTGRES = /^postgres(ql)?:\/\//i

/** A `postgres://…` or `postgresql://…` URL, kept redacted: it may carry a password. */
export const postgresUrlOf = (url: string): Option.Option<Redacted.Redacted<string>> =>
  POSTGRES.test(url.trim()) ? Option.some(Redacted.make(url.trim())) : Option.none()
