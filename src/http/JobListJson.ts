import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Predicate } from "effect"
import { Buffer } from "node:buffer"
import type { JobFilter, StoredJob } from "../domain/index.js"
import { requestId } from "./RequestId.js"
import { JobView } from "./Views.js"

/**
 * The job list's response written straight from stored rows: the bytes `Envelope(JobList)` would
 * encode from `toJobView` (the route still declares that schema, so the OpenAPI document is
 * unchanged), without decoding every row and encoding it again. `target_snapshot` goes out as
 * the JSON text the store wrote; `payload` is parsed once, for its `payload_text` too.
 */
const KEYS = Object.keys(JobView.fields) as ReadonlyArray<keyof typeof JobView.fields>

const parsedOrRaw = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text // shown as stored, like `toJobView` does
  }
}

/** As `payloadText`: the text to send, null when it is missing or blank. */
const textOf = (job: StoredJob, payload: unknown): string | null => {
  const text = job.payload_kind === "text" ? payload : Predicate.isRecord(payload) ? payload["text"] : undefined
  return typeof text === "string" && text.trim() !== "" ? text : null
}

// Each field's `"key":` written once; the row is then one concatenation (map/join allocated
// a string per field and an array per row).
const PREFIXES = KEYS.map((key, i) => `${i === 0 ? "{" : ","}${JSON.stringify(key)}:`)

export const jobJson = (job: StoredJob): string => {
  const payload = job.payload_kind === "json" ? parsedOrRaw(job.payload) : job.payload
  let out = ""
  for (let i = 0; i < KEYS.length; i++) {
    const key = KEYS[i]!
    const value = key === "payload"
      ? JSON.stringify(payload)
      : key === "payload_text"
      ? JSON.stringify(textOf(job, payload))
      : key === "target_snapshot"
      ? job.target_snapshot ?? "null"
      : JSON.stringify(job[key])
    out += PREFIXES[i]! + value
  }
  return out + "}"
}

const jobsJson = (jobs: ReadonlyArray<StoredJob>): string => {
  let out = ""
  for (let i = 0; i < jobs.length; i++) out += (i === 0 ? "" : ",") + jobJson(jobs[i]!)
  return out
}

/** The whole body: envelope, count, total, the effective filters and the jobs. */
export const jobListJson = (
  request_id: string,
  filters: JobFilter,
  total: number,
  jobs: ReadonlyArray<StoredJob>
): string =>
  `{"ok":true,"request_id":${JSON.stringify(request_id)},"data":{"count":${jobs.length},"total":${total},` +
  `"filters":${JSON.stringify(filters)},"jobs":[${jobsJson(jobs)}]}}`

/**
 * The same headers `HttpServerResponse.text` sets, but the body stays a string: Node writes it
 * with the headers in one write instead of encoding a copy first.
 */
export const jobListResponse = (filters: JobFilter, total: number, jobs: ReadonlyArray<StoredJob>) =>
  Effect.map(requestId, (id) => {
    const body = jobListJson(id, filters, total, jobs)
    return HttpServerResponse.raw(body, { contentType: "application/json", contentLength: Buffer.byteLength(body) })
  })
