import { request as httpRequest } from "node:http"
import { intFlag, type Outcome, startDaemon, tempStateDir } from "./daemon.js"
import { rng } from "./frames.js"

type Random = () => number
const pick = <A>(random: Random, items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!

const METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
const TEMPLATES = [
  "/v1/renewal/conversations",
  "/v1/renewal/conversations/{id}",
  "/v1/renewal/conversations/{id}/{status}",
  "/v1/renewal/links",
  "/v1/renewal/jobs",
  "/v1/renewal/jobs/{id}",
  "/v1/renewal/jobs/{id}/retry",
  "/v1/renewal/jobs/{id}/cancel",
  "/v1/system/state",
  "/v1/system/pause",
  "/v1/system/resume",
  "/v1/system/drain",
  "/v1/browser",
  "/v1/browser/ws",
  "/v1/timed-jobs",
  "/v1/timed-jobs/{id}/run",
  "/healthz",
  "/openapi.json",
  "/docs",
  "/",
  "/v1",
  "/v1/",
  "/v2/x",
  "/v1/{id}",
  "/v1/renewal/../system/state",
  "/v1//system/state",
  "/V1/system/state",
  "/{id}"
]
const IDS = [
  "lc_1",
  "job_1",
  "renewal.projector",
  "renewal.dispatcher",
  "%00",
  "%2e%2e",
  "..",
  "a".repeat(3000),
  "%ZZ",
  "%C3%A9",
  "'",
  "1e9",
  "-1"
]
const QUERIES = [
  "",
  "?limit=0",
  "?limit=200&offset=5",
  "?status=auto",
  "?status=%00",
  "?limit=abc&limit=1",
  "?is_active=true",
  "?token=x",
  "?a=" + "b".repeat(2000)
]
const BODIES = [undefined, "", "{}", "[", "{\"automation\":\"paused\"}", "\u0000", "x".repeat(64 * 1024)]

interface Reply {
  readonly status: number
  readonly headers: Record<string, string | string[] | undefined>
  readonly body: string
}

const send = (url: URL, method: string, path: string, headers: Record<string, string>, body?: string) =>
  new Promise<Reply>((resolve) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers, agent: false }, (res) => {
      let data = ""
      res.on("data", (chunk) => (data += chunk))
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }))
      res.on("error", () => resolve({ status: -1, headers: {}, body: "" }))
    })
    req.on("error", (error) => resolve({ status: -1, headers: {}, body: String(error) }))
    req.end(body)
  })

/**
 * N random requests (methods, paths, ids, queries, bodies, tokens), 8 at a time, each on its own
 * connection. Invariants: no 5xx, no dropped connection (but for bodies of 64 KiB and more,
 * which may be answered before they are read), every `/v1` request without the token is 401, every JSON
 * answer is an envelope whose request_id matches `x-request-id`, every 405 names its `Allow`.
 */
export const run = async (argv: ReadonlyArray<string>): Promise<Outcome> => {
  const count = intFlag(argv, "requests", 10_000)
  const random = rng(intFlag(argv, "seed", 13))
  const state = tempStateDir()
  const daemon = await startDaemon(state.dir)
  const url = new URL(daemon.url)
  const statuses = new Map<number, number>()
  const broken: Array<string> = []
  try {
    let next = 0
    const worker = async () => {
      while (next < count) {
        next++
        const path = pick(random, TEMPLATES).replace(/\{id\}/g, () =>
          pick(random, IDS)).replace("{status}", pick(random, ["auto", "manual", "paused", "x"])) +
          pick(random, QUERIES)
        const method = pick(random, METHODS)
        const tokenKind = pick(random, ["right", "right", "none", "wrong", "scheme"])
        const headers: Record<string, string> = {}
        if (tokenKind === "right") {
          headers.authorization = `Bearer ${daemon.token}`
        }
        if (tokenKind === "wrong") {
          headers.authorization = "Bearer wrong"
        }
        if (tokenKind === "scheme") {
          headers.authorization = `Basic ${daemon.token}`
        }
        const body = random() < 0.01 ? "y".repeat(1024 * 1024 + 1) : pick(random, BODIES)
        const reply = await send(url, method, path, headers, body)
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1)
        const where = `${method} ${path.slice(0, 80)} (${tokenKind})`
        // Answering before a large body is read, then closing (`Connection: close`), lets TCP
        // reset the connection under a sender still writing: not a refusal by the daemon.
        const oversized = body !== undefined && body.length >= 64 * 1024
        if ((reply.status < 0 && !oversized) || reply.status >= 500) {
          broken.push(`${where}: ${reply.status} ${reply.body.slice(0, 80)}`)
        }
        const guarded = /^\/v1(\/|\?|$)/.test(path)
        if (guarded && tokenKind !== "right" && reply.status !== 401 && reply.status !== -1) {
          broken.push(`${where}: ${reply.status} without the token`)
        }
        if (reply.status === 405 && !reply.headers.allow) {
          broken.push(`${where}: 405 without Allow`)
        }
        if (
          method !== "HEAD" && String(reply.headers["content-type"] ?? "").includes("application/json") &&
          path !== "/openapi.json" && !path.startsWith("/openapi.json?")
        ) {
          const envelope = JSON.parse(reply.body) as { ok?: unknown; request_id?: unknown }
          if (typeof envelope.ok !== "boolean" || envelope.request_id !== reply.headers["x-request-id"]) {
            broken.push(`${where}: not an envelope`)
          }
        }
      }
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    const { code } = await daemon.stop("SIGTERM")
    if (code !== 0) broken.push(`exit ${code} on SIGTERM`)
    const byStatus = [...statuses.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ")
    const summary = `random-http: ${count} requests, ${byStatus}, ${broken.length} broken` +
      (broken.length > 0 ? `; first: ${broken.slice(0, 3).join("; ")}` : "")
    return { ok: broken.length === 0, summary }
  } finally {
    daemon.child.kill("SIGKILL")
    state.remove()
  }
}
