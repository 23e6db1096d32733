import * as HttpApi from "@effect/platform/HttpApi"
import { Api } from "./Api.js"
import { MethodNotAllowed } from "./ApiErrors.js"
import { PATH as BRIDGE_PATH } from "./BrowserSocketRoute.js"

interface Route {
  readonly method: string
  readonly pattern: RegExp
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** `/v1/renewal/jobs/:job_id` → a pattern that takes any one segment for `:job_id`. */
const patternOf = (path: string) =>
  new RegExp(`^${path.split("/").map((segment) => (segment.startsWith(":") ? "[^/]+" : escape(segment))).join("/")}$`)

// The API's endpoints, read from its definition, plus the routes mounted beside it.
const routes: ReadonlyArray<Route> = (() => {
  const all: Array<{ readonly method: string; readonly path: string }> = [
    { method: "GET", path: BRIDGE_PATH },
    { method: "GET", path: "/openapi.json" },
    { method: "GET", path: "/docs" }
  ]
  HttpApi.reflect(Api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => all.push({ method: endpoint.method, path: endpoint.path })
  })
  return all.map(({ method, path }) => ({ method, pattern: patternOf(path) }))
})()

/** The methods a known path answers to; empty for an unknown path. */
export const allowedMethods = (url: string): ReadonlyArray<string> => {
  const path = url.split("?")[0] ?? ""
  const methods = new Set(routes.filter((route) => route.pattern.test(path)).map((route) => route.method))
  return [...methods].sort()
}

export const methodNotAllowed = (method: string, url: string, allow: ReadonlyArray<string>) =>
  new MethodNotAllowed({
    message: `${method} is not allowed on ${url.split("?")[0]}; use ${allow.join(" or ")}`,
    details: { allow }
  })
