import { HttpLayerRouter, HttpServer } from "@effect/platform"
import { NodeHttpServer } from "@effect/platform-node"
import { Effect, Layer, Logger, LogLevel } from "effect"
import { createServer } from "node:http"
import * as ApiRoutes from "./ApiRoutes.js"
import * as BrowserSocketRoute from "./BrowserSocketRoute.js"
import * as DocsRoutes from "./DocsRoutes.js"
import * as ServerMiddleware from "./ServerMiddleware.js"

export interface ServerOptions {
  readonly host: string
  readonly port: number
}

/** The API, its documents and the bridge's WebSocket on one router. */
export const routes = Layer.mergeAll(ApiRoutes.layer, DocsRoutes.layer, BrowserSocketRoute.layer, ServerMiddleware.layer)

/** `http://host:port` of a bound address, with brackets for IPv6. */
export const urlOf = (address: HttpServer.Address): string =>
  address._tag === "UnixAddress"
    ? `unix://${address.path}`
    : `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}`

// Written whatever the log level: tools and scripts wait for this line to know the URL.
const ready = HttpServer.addressWith((address) =>
  Effect.logInfo(`baa-conductor listening on ${urlOf(address)}`).pipe(Logger.withMinimumLogLevel(LogLevel.All))
)

/**
 * Serves `routes` on `host:port` (`0` picks a free port) and logs one ready line with the
 * bound URL once it listens. The `HttpServer` stays visible so callers can read the address.
 */
export const layer = (options: ServerOptions) =>
  Layer.effectDiscard(ready).pipe(
    Layer.provide(HttpLayerRouter.serve(routes, { disableLogger: true, disableListenLog: true })),
    Layer.provideMerge(NodeHttpServer.layer(createServer, { host: options.host, port: options.port }))
  )
