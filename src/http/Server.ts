import { HttpLayerRouter, type HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Layer } from "effect"
import { createServer } from "node:http"
import * as ApiRoutes from "./ApiRoutes.js"
import * as BrowserSocketRoute from "./BrowserSocketRoute.js"
import * as DocsRoutes from "./DocsRoutes.js"
import * as HttpMetrics from "./HttpMetrics.js"
import * as MetricsRoute from "./MetricsRoute.js"
import * as ServerMiddleware from "./ServerMiddleware.js"

export interface ServerOptions {
  readonly host: string
  readonly port: number
  /** `GET /metrics` without the token. */
  readonly metricsPublic?: boolean
}

/** The API, its documents and the bridge's WebSocket on one router. */
export const routes = Layer.mergeAll(ApiRoutes.layer, DocsRoutes.layer, BrowserSocketRoute.layer, ServerMiddleware.layer)

/** `http://host:port` of a bound address, with brackets for IPv6. */
export const urlOf = (address: HttpServer.Address): string =>
  address._tag === "UnixAddress"
    ? `unix://${address.path}`
    : `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}`

/**
 * Serves `routes`, `GET /metrics` and the request metrics on `host:port` (`0` picks a free port). The `HttpServer` stays visible so
 * callers can read the address (the daemon prints its ready line from it).
 */
export const layer = (options: ServerOptions) =>
  HttpLayerRouter.serve(
    Layer.mergeAll(routes, HttpMetrics.layer, MetricsRoute.layer({ metricsPublic: options.metricsPublic ?? false })),
    { disableLogger: true, disableListenLog: true }
  ).pipe(
    Layer.provideMerge(NodeHttpServer.layer(createServer, { host: options.host, port: options.port }))
  )
