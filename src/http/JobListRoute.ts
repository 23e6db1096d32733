import type * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import type * as HttpLayerRouter from "@effect/platform/HttpLayerRouter"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import { Effect, Either, Schema } from "effect"
import type { JobFilter } from "../domain/index.js"
import { ArtifactStore } from "../services/ArtifactStore.js"
import { jobListResponse } from "./JobListJson.js"
import { JobQuery } from "./Params.js"

export const PATH = "/v1/renewal/jobs"

const KNOWN = new Set(Object.keys(JobQuery.fields))
const decodeQuery = Schema.decodeUnknownEither(JobQuery)

/**
 * The filter the API's `listJobs` would be given, when every parameter is one of its own, given
 * once, and valid; otherwise `undefined` (the API then answers, with its own 400 where one is due).
 */
const plainFilter = (params: Readonly<Record<string, string | ReadonlyArray<string>>>): JobFilter | undefined => {
  for (const key in params) if (!KNOWN.has(key) || typeof params[key] !== "string") return undefined
  return Either.getOrUndefined(decodeQuery(params))
}

const FILTERS_KEPT = 256

/**
 * Filters by request URL: a list is polled with a few queries, and decoding one cost more than
 * finding it here. Bounded by emptying it when full; one per route, so each server has its own.
 */
const filterCache = () => {
  const filters = new Map<string, JobFilter | undefined>()
  return (url: string, params: Readonly<Record<string, string | ReadonlyArray<string>>>) => {
    if (filters.has(url)) return filters.get(url)
    const filter = plainFilter(params)
    if (filters.size >= FILTERS_KEPT) filters.clear()
    filters.set(url, filter)
    return filter
  }
}

/**
 * `GET /v1/renewal/jobs` straight from the router, ahead of the API app that answers it too: the
 * API's router, its middleware and its handler's context merge cost more per request than the
 * two reads. Only a page the fast JSON path can write is answered here (the bytes and headers of
 * the API's `listJobs`, the token already checked by the server middleware); any other request
 * (unknown or repeated parameters, a refused value, a page with a damaged row) goes to `api`.
 */
export const add = (
  router: HttpLayerRouter.HttpRouter,
  api: Effect.Effect.Success<typeof HttpApiBuilder.httpApp>
) =>
  Effect.flatMap(ArtifactStore, (store) => {
    const filterOf = filterCache()
    return router.add(
      "GET",
      PATH,
      (request) =>
        Effect.flatMap(HttpServerRequest.ParsedSearchParams, (params) => {
          const filter = filterOf(request.url, params)
          if (filter === undefined) return api
          return Effect.flatMap(
            Effect.zip(store.listStoredJobs(filter), store.countJobs(filter)),
            ([page, total]) => Either.isRight(page) ? jobListResponse(filter, total, page.right) : api
          )
        })
    )
  })
