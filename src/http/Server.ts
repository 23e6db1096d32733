import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpMiddleware from "@effect/platform/HttpMiddleware"
import type * as HttpServer from "@effect/platform/HttpServer"
import { Effect, FiberRef, Layer } from "effect"
import * as ApiRoutes from "./ApiRoutes.js"
import * as BrowserSocketRoute from "./BrowserSocketRoute.js"
import * as DashboardRoutes from "./DashboardRoutes.js"
import * as DocsRoutes from "./DocsRoutes.js"
import * as EventsRoute from "./EventsRoute.js"
import * as HttpMetrics from "./HttpMetrics.js"
import * as MetricsRoute from "./MetricsRoute.js"
import * as NodeServer from "./NodeServer.js"
import * as ServerMiddleware from "./ServerMiddleware.js"

export interface ServerOptions {
  readonly host: string
  readonly port: number
  /** `GET /metrics` without the token. */
  readonly metricsPublic?: boolean
}

/** The API, its documents, the live events, the dashboard and the bridge's WebSocket on one router. */
export const routes = Layer.mergeAll(
  ApiRoutes.layer,
  DocsRoutes.layer,
  EventsRoute.layer,
  BrowserSocketRoute.layer,
  DashboardRoutes.layer,
  ServerMiddleware.layer
)

/** `http://host:port` of a bound address, with brackets for IPv6. */
export const urlOf = (address: HttpServer.Address): string =>
  address._tag === "UnixAddress"
    ? `unix://${address.path}`
    : `http://${address.hostname.includes(":") ? `[${address.hostname}]` : address.hostname}:${address.port}`

// Released first, so it opens the shutdown.
const shutdownLine = Effect.addFinalizer(() => Effect.logInfo("baa-conductor shutting down"))

/**
 * Serves `routes`, `GET /metrics` and the request metrics on `host:port` (`0` picks a free port). The `HttpServer` stays visible so
 * callers can read the address (the daemon prints its ready line from it).
 * Released in the reverse order: the shutdown line, the routes (bridge sockets get 1001), then
 * every connection still open is given a grace and cut, so stopping never waits on a client.
 */
export const layer = (options: ServerOptions) =>
  Layer.unwrapEffect(
    Effect.map(NodeServer.make, (node) =>
      Layer.scopedDiscard(shutdownLine).pipe(
        Layer.provide(
          HttpLayerRouter.serve(
            Layer.mergeAll(
              routes,
              HttpMetrics.layer,
              MetricsRoute.layer({ metricsPublic: options.metricsPublic ?? false })
            ),
            { disableLogger: true, disableListenLog: true }
          ).pipe(
            // No tracer is installed: the platform's per-request server span (URL parse, header
            // redaction, a dozen attributes) was built and dropped on every request.
            HttpMiddleware.withTracerDisabledWhen(() => true),
            // Nor are the spans inside a request (every SQL statement's) read by anything: each
            // took a clock read, an attribute map and the statement's text.
            Layer.locally(FiberRef.currentTracerEnabled, false)
          )
        ),
        Layer.provide(NodeServer.closeOnRelease(node)),
        Layer.provideMerge(NodeHttpServer.layer(() => node.server, { host: options.host, port: options.port }))
      ))
  )
