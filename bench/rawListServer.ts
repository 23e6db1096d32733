/**
 * The yardstick for the list benchmark: plain `node:http` and better-sqlite3 answering
 * `GET /v1/renewal/jobs?status=…&limit=…&offset=…` with the daemon's SQL and byte-identical
 * JSON (request ids aside). Only what the benchmark sends is supported. Run as
 * `node rawListServer.js <database> <token>`; prints `raw listening on http://…`.
 */
import { createServer } from "node:http"
import { createRequire } from "node:module"
import type { AddressInfo } from "node:net"

interface Statement {
  all(...params: ReadonlyArray<unknown>): Array<Record<string, unknown>>
}
interface Database {
  prepare(sql: string): Statement
}
const Sqlite = createRequire(import.meta.url)("better-sqlite3") as new(file: string, options?: object) => Database

const [file, token] = process.argv.slice(2)
const db = new Sqlite(file!, { readonly: true })
const page = db.prepare(`SELECT * FROM renewal_jobs WHERE job_id IN (
    SELECT job_id FROM renewal_jobs INDEXED BY renewal_jobs_status_created WHERE status = ?
    ORDER BY created_at DESC, job_id DESC LIMIT ? OFFSET ?)
  ORDER BY created_at DESC, job_id DESC`)
// The daemon's count of a status filter: the per-status table its triggers keep (migration 0005).
const total = db.prepare(`SELECT COALESCE(SUM(n), 0) AS total FROM renewal_job_counts WHERE status = ?`)

const parsed = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

const textOf = (kind: unknown, payload: unknown): string | null => {
  const text = kind === "text" ? payload : (payload as { text?: unknown } | null)?.text
  return typeof text === "string" && text.trim() !== "" ? text : null
}

const view = (row: Record<string, unknown>) => {
  const payload = row.payload_kind === "json" ? parsed(row.payload as string) : row.payload
  return {
    job_id: row.job_id,
    local_conversation_id: row.local_conversation_id,
    message_id: row.message_id,
    status: row.status,
    payload_kind: row.payload_kind,
    payload,
    payload_text: textOf(row.payload_kind, payload),
    target_snapshot: row.target_snapshot === null ? null : JSON.parse(row.target_snapshot as string),
    attempt_count: row.attempt_count,
    max_attempts: row.max_attempts,
    next_attempt_at: row.next_attempt_at,
    last_attempt_at: row.last_attempt_at,
    last_error: row.last_error,
    log_path: row.log_path,
    started_at: row.started_at,
    finished_at: row.finished_at,
    created_at: row.created_at,
    updated_at: row.updated_at
  }
}

let counter = 0
const server = createServer((req, res) => {
  const url = new URL(req.url ?? "/", "http://localhost")
  if (url.pathname !== "/v1/renewal/jobs" || req.headers.authorization !== `Bearer ${token}`) {
    res.writeHead(404).end()
    return
  }
  const status = url.searchParams.get("status") ?? "done"
  const limit = Number(url.searchParams.get("limit") ?? "20")
  const offset = Number(url.searchParams.get("offset") ?? "0")
  const jobs = page.all(status, limit, offset).map(view)
  const request_id = `req_${String(counter++).padStart(26, "0")}`
  const body = JSON.stringify({
    ok: true,
    request_id,
    data: { count: jobs.length, total: total.all(status)[0]!.total, filters: { status, limit, offset }, jobs }
  })
  res.writeHead(200, {
    "content-type": "application/json",
    "x-request-id": request_id,
    "content-length": Buffer.byteLength(body)
  })
  res.end(body)
})
server.listen(0, "127.0.0.1", () => {
  console.log(`raw listening on http://127.0.0.1:${(server.address() as AddressInfo).port}`)
})
process.on("SIGTERM", () => process.exit(0))
