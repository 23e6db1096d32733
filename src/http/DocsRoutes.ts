import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as OpenApi from "@effect/platform/OpenApi"
import { Effect } from "effect"
import { ConductorConfig } from "../services/ConductorConfig.js"
import { Api } from "./Api.js"
import { render } from "./DocsPage.js"

/** The OpenAPI document of the running daemon, stamped with its version. */
export const openApiDocument = (version: string): Record<string, any> => {
  const spec = OpenApi.fromApi(Api)
  return { ...spec, info: { ...spec.info, version } }
}

/**
 * `GET /openapi.json` and `GET /docs`, both without a token: they describe, they reveal nothing.
 * Both are built on the first request and kept: most daemons never serve them, and building them
 * at start held the document, its JSON and its page in an idle daemon's memory.
 */
export const layer = HttpLayerRouter.use((router) =>
  Effect.gen(function*() {
    const { node } = yield* ConductorConfig
    const documents = yield* Effect.cached(Effect.sync(() => {
      const spec = openApiDocument(node.version)
      return {
        json: HttpServerResponse.unsafeJson(spec),
        html: HttpServerResponse.text(render(spec), { contentType: "text/html; charset=utf-8" })
      }
    }))
    yield* router.add("GET", "/openapi.json", Effect.map(documents, ({ json }) => json))
    yield* router.add("GET", "/docs", Effect.map(documents, ({ html }) => html))
  })
)
