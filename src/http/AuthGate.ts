import type * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import type { Redacted } from "effect"
import { tokenMatches } from "../services/ApiToken.js"
import { Unauthorized } from "./ApiErrors.js"
import { PATH as BRIDGE_PATH } from "./BrowserSocketRoute.js"
import { PATH as EVENTS_PATH } from "./EventsRoute.js"

const BEARER = /^Bearer +(\S+) *$/i

// Segments of letters, digits and `-_.~` (none starting with a dot): a URL parser reads such a
// path unchanged, so only other paths pay for parsing the URL on every request.
const PLAIN = /^(?:\/[\w~-][\w.~-]*)*\/?$/

/** The path as sent and as a URL parser reads it (dot segments, absolute form). */
const pathsOf = (url: string): ReadonlyArray<string> => {
  const raw = url.split("?")[0] ?? ""
  if (raw !== "" && PLAIN.test(raw)) return [raw]
  try {
    return [raw, new URL(url, "http://localhost").pathname]
  } catch {
    return [raw]
  }
}

const isGuarded = (path: string) => path === "/v1" || path.startsWith("/v1/")

/**
 * Whether a request may go past the token check. Every `/v1` path is checked here, before the
 * router, the body limit or parameter checks answer: without the token nothing is said about
 * which routes exist or what they accept. The bridge's and the event stream's paths also take
 * `?token=`, since browsers cannot set headers on a WebSocket or an EventSource.
 */
export const admits = (token: Redacted.Redacted<string>, request: HttpServerRequest.HttpServerRequest): boolean => {
  const paths = pathsOf(request.url)
  if (!paths.some(isGuarded)) return true
  if (tokenMatches(token, BEARER.exec(request.headers["authorization"] ?? "")?.[1])) return true
  if (!paths.includes(BRIDGE_PATH) && !paths.includes(EVENTS_PATH)) return false
  const query = new URL(request.url, "http://localhost").searchParams.get("token")
  return tokenMatches(token, query)
}

export const refused = new Unauthorized({ message: "a valid token is required: Authorization: Bearer <token>" })
