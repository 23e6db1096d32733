import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerError from "@effect/platform/HttpServerError"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect } from "effect"
import { DASHBOARD_DIR } from "../dashboardDir.js"

const ASSETS: ReadonlyArray<readonly [route: `/${string}`, file: string, contentType: string]> = [
  ["/", "index.html", "text/html; charset=utf-8"],
  ["/dashboard/app.js", "app.js", "text/javascript; charset=utf-8"],
  ["/dashboard/app.css", "app.css", "text/css; charset=utf-8"]
]

/** Only the daemon's own files run in the page, and it may only talk back to the daemon. */
const HEADERS = {
  "cache-control": "no-cache",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}

/** A daemon run from sources without `npm run build` has no dashboard: `/` is then an unknown route like any other. */
const notBuilt = Effect.flatMap(
  HttpServerRequest.HttpServerRequest,
  (request) => Effect.fail(new HttpServerError.RouteNotFound({ request }))
)

/**
 * The operator dashboard at `/` and its two assets, without a token: they hold no data; the page
 * asks for the token and sends it with every API call. Files are read per request so a rebuild
 * shows without a restart.
 */
export const layer = HttpLayerRouter.use((router) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    for (const [route, file, contentType] of ASSETS) {
      const serve = fs.readFile(DASHBOARD_DIR + file).pipe(
        Effect.map((body) => HttpServerResponse.uint8Array(body, { contentType, headers: HEADERS })),
        Effect.orElse(() => notBuilt)
      )
      yield* router.add("GET", route, serve)
    }
  })
)
