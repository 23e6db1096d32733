import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import { Effect, Layer } from "effect"
import { Api } from "./Api.js"
import * as Auth from "./Auth.js"
import { BrowserHttp } from "./BrowserHttp.js"
import { HealthHttp } from "./HealthHttp.js"
import * as JobListRoute from "./JobListRoute.js"
import { JobLogHttp } from "./JobLogHttp.js"
import { RenewalControlHttp } from "./RenewalControlHttp.js"
import { RenewalHttp } from "./RenewalHttp.js"
import { RetentionHttp } from "./RetentionHttp.js"
import { SystemHttp } from "./SystemHttp.js"
import { TimedJobsHttp } from "./TimedJobsHttp.js"
import * as WireErrors from "./WireErrors.js"

const Groups = Layer.mergeAll(
  RenewalHttp,
  RenewalControlHttp,
  SystemHttp,
  BrowserHttp,
  TimedJobsHttp,
  HealthHttp,
  RetentionHttp
)

/**
 * The API mounted on the router as one app behind every path the other routes leave free. It
 * is built as a whole app (not route by route) so that `WireErrors` sees the platform's decode
 * errors before they are encoded.
 */
export const layer = HttpLayerRouter.use((router) =>
  Effect.flatMap(
    HttpApiBuilder.httpApp,
    (app) => Effect.zipRight(router.add("*", "/*", app), JobListRoute.add(router, app))
  )
).pipe(
  Layer.provide(HttpApiBuilder.api(Api)),
  Layer.provide(Groups),
  Layer.provide(JobLogHttp),
  Layer.provide([Auth.layer, WireErrors.layer]),
  Layer.provide([HttpApiBuilder.Router.Live, HttpApiBuilder.Middleware.layer])
)
