import type { SiteAdapter } from "./adapter.js"

const segments = (path: string): Array<string> => path.split("/").filter((s) => s.length > 0)

const matchOne = (pattern: ReadonlyArray<string>, path: ReadonlyArray<string>): string | null => {
  if (pattern.length !== path.length) return null
  let id: string | null = null
  for (let i = 0; i < pattern.length; i++) {
    const part = pattern[i] ?? ""
    const actual = decodeURIComponent(path[i] ?? "")
    if (part === ":id") id = actual
    else if (!part.startsWith(":") && part !== actual) return null
  }
  return id
}

/** The `:id` of the first route the path matches, or null off a conversation (home, settings). */
export const matchRoute = (routes: ReadonlyArray<string>, pathname: string): string | null => {
  const path = segments(pathname)
  for (const route of routes) {
    const id = matchOne(segments(route), path)
    if (id !== null && id.length > 0) return id
  }
  return null
}

export const conversationIdOf = (adapter: SiteAdapter, url: string): string | null =>
  matchRoute(adapter.routes, new URL(url).pathname)
