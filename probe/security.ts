import { existsSync, readdirSync, statSync } from "node:fs"
import { connect } from "node:net"
import { join } from "node:path"
import WebSocket from "ws"
import { type Daemon, openSocket, type Outcome, sleep, startDaemon, tempStateDir } from "./daemon.js"

const modeOf = (path: string) => statSync(path).mode & 0o777

const request = async (daemon: Daemon, method: string, path: string, token: string | null, body?: string) => {
  const response = await fetch(daemon.url + path, {
    method,
    headers: token === null ? {} : { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { body })
  })
  await response.arrayBuffer()
  return { status: response.status, allow: response.headers.get("allow") }
}

const closeCode = (ws: WebSocket) => new Promise<number>((done) => ws.once("close", (code) => done(code)))

/**
 * The security checks: auth before anything else on `/v1`, private state files under umask
 * 022, and the close codes clients are sent (1009 for an oversized frame, 1001 at shutdown,
 * which must come within 2 s even with a half-sent request and a client that stopped reading).
 */
export const run = async (): Promise<Outcome> => {
  const state = tempStateDir()
  const broken: Array<string> = []
  const daemon = await startDaemon(state.dir, { umask: "022" })
  try {
    const wrong = "wrong-token"
    const unauthorized: ReadonlyArray<readonly [string, string, string | null, string?]> = [
      ["GET", "/v1/nope", null],
      ["GET", "/v1", null],
      ["POST", "/v1/renewal/jobs", null],
      ["POST", "/v1/system/pause", null, "x".repeat(2 * 1024 * 1024)],
      ["GET", "/v1/system/state", wrong],
      ["GET", "/v1/browser/ws", null],
      ["DELETE", "/v1/renewal/jobs/job_1", wrong]
    ]
    for (const [method, path, token, body] of unauthorized) {
      const { status } = await request(daemon, method, path, token, body)
      if (status !== 401) broken.push(`${method} ${path} without a valid token: ${status}`)
    }
    const wrongMethod = await request(daemon, "POST", "/v1/renewal/jobs", daemon.token)
    if (wrongMethod.status !== 405 || wrongMethod.allow !== "GET") {
      broken.push(`POST /v1/renewal/jobs: ${wrongMethod.status} allow ${wrongMethod.allow}`)
    }

    // Data in every file: a reply stored and a tick logged.
    const extension = await openSocket(daemon)
    extension.send(JSON.stringify({ type: "hello", client_id: "probe-security" }))
    extension.send(
      JSON.stringify({
        type: "browser.final_message",
        platform: "chatgpt",
        conversation_id: "c",
        message_id: "m",
        role: "assistant",
        text: "secret",
        tab_id: 1
      })
    )
    await request(daemon, "POST", "/v1/timed-jobs/renewal.projector/run", daemon.token)
    const logs = join(state.dir, "logs", "timed-jobs")
    const files = ["conductor.db", "conductor.db-wal", "conductor.db-shm", "token"].map((f) => join(state.dir, f))
    for (const file of [...files, ...(existsSync(logs) ? readdirSync(logs).map((f) => join(logs, f)) : [])]) {
      if (!existsSync(file)) broken.push(`${file} missing`)
      else if (modeOf(file) !== 0o600) broken.push(`${file} is 0${modeOf(file).toString(8)}`)
    }
    for (const dir of [state.dir, logs]) if (modeOf(dir) !== 0o700) broken.push(`${dir} is 0${modeOf(dir).toString(8)}`)

    const oversized = await openSocket(daemon)
    const oversizedClosed = closeCode(oversized)
    oversized.send("x".repeat(2 * 1024 * 1024))
    if ((await oversizedClosed) !== 1009) broken.push(`oversized frame closed with ${await oversizedClosed}`)

    const unauthorizedSocket = await new Promise<number>((done) => {
      const ws = new WebSocket(`${daemon.wsUrl}?token=${wrong}`)
      ws.once("unexpected-response", (_req, res) => done(res.statusCode ?? 0))
      ws.once("open", () => done(101))
      ws.once("error", () => done(0))
    })
    if (unauthorizedSocket !== 401) broken.push(`bridge with a wrong token: ${unauthorizedSocket}`)

    const stalled = await openSocket(daemon)
    stalled.send(JSON.stringify({ type: "hello", client_id: "probe-stalled" }))
    await sleep(200)
    stalled.pause()
    const halfOpen = connect(Number(new URL(daemon.url).port), "127.0.0.1")
    halfOpen.on("error", () => {})
    halfOpen.write("POST /v1/system/pause HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n")
    await sleep(200)
    const shutdownClose = closeCode(extension)
    const { code, ms } = await daemon.stop("SIGTERM")
    halfOpen.destroy()
    stalled.terminate()
    if ((await shutdownClose) !== 1001) broken.push(`shutdown closed the bridge with ${await shutdownClose}`)
    if (code !== 0 || ms > 2000) broken.push(`SIGTERM: exit ${code} after ${ms.toFixed(0)} ms`)
    const shutdownLines = daemon.output().split("\n").filter((l) => l.includes("shutting down")).length
    if (shutdownLines !== 1) broken.push(`${shutdownLines} shutdown lines`)
    const summary =
      `security: ${unauthorized.length} unauthenticated /v1 requests all 401, 405 with Allow, file modes under umask 022, ` +
      `close codes 1009/1001, SIGTERM exit ${code} in ${ms.toFixed(0)} ms` +
      (broken.length > 0 ? `; broken: ${broken.join("; ")}` : "")
    return { ok: broken.length === 0, summary }
  } finally {
    daemon.child.kill("SIGKILL")
    state.remove()
  }
}
