import { Context, Redacted } from "effect"
import { timingSafeEqual } from "node:crypto"

/** The shared bearer token of the HTTP API and the browser bridge. Never logged. */
export class ApiToken extends Context.Tag("baa-conductor/ApiToken")<ApiToken, Redacted.Redacted<string>>() {}

/** Constant-time comparison, so the time to refuse a token says nothing about it. */
export const tokenMatches = (expected: Redacted.Redacted<string>, given: string | null | undefined): boolean => {
  if (given == null) return false
  const a = Buffer.from(Redacted.value(expected), "utf8")
  const b = Buffer.from(given, "utf8")
  // Compare against itself on a length mismatch so both branches cost the same.
  return a.length === b.length ? timingSafeEqual(a, b) : (timingSafeEqual(a, a), false)
}
