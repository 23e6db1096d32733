import { type ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import WebSocket from "ws"

/** The built entry point, next to this file once compiled (`dist/probe/` → `dist/src/bin.js`). */
export const BIN = fileURLToPath(new URL("../src/bin.js", import.meta.url))

export const tempStateDir = (): { readonly dir: string; readonly remove: () => void } => {
  const root = mkdtempSync(join(tmpdir(), "baa-probe-"))
  return { dir: join(root, "state"), remove: () => rmSync(root, { recursive: true, force: true }) }
}

export interface Daemon {
  readonly url: string
  readonly wsUrl: string
  readonly token: string
  readonly child: ChildProcess
  readonly output: () => string
  /** Sends the signal and resolves with the exit code (null when killed) and how long it took. */
  readonly stop: (signal?: NodeJS.Signals) => Promise<{ code: number | null; ms: number }>
  readonly rssMb: () => number
}

export interface StartOptions {
  readonly args?: ReadonlyArray<string>
  /** A shell umask to start under, e.g. `"022"`. */
  readonly umask?: string
  /** Flags for node itself, e.g. `--max-old-space-size=128`. */
  readonly nodeArgs?: ReadonlyArray<string>
}

/** Starts `baa-conductor start --state-dir <dir> --port 0 …` and waits for its ready line. */
export const startDaemon = (stateDir: string, options: StartOptions = {}): Promise<Daemon> =>
  new Promise((resolve, reject) => {
    const argv = [
      ...(options.nodeArgs ?? []),
      BIN,
      "start",
      "--state-dir",
      stateDir,
      "--port",
      "0",
      ...(options.args ?? [])
    ]
    const child = options.umask === undefined
      ? spawn(process.execPath, argv, { stdio: ["ignore", "pipe", "pipe"] })
      : spawn("sh", ["-c", `umask ${options.umask} && exec "$0" "$@"`, process.execPath, ...argv], {
        stdio: ["ignore", "pipe", "pipe"]
      })
    let output = ""
    let ready = false
    const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)))
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8")
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (ready || match === null) return
      ready = true
      const url = match[1]!
      const tokenAt = options.args?.indexOf("--token") ?? -1
      const token = tokenAt >= 0 ? options.args![tokenAt + 1]! : readFileSync(join(stateDir, "token"), "utf8").trim()
      resolve({
        url,
        wsUrl: `${url.replace(/^http/, "ws")}/v1/browser/ws`,
        token,
        child,
        output: () => output,
        stop: async (signal = "SIGTERM") => {
          const start = performance.now()
          child.kill(signal)
          const code = await exited
          return { code, ms: performance.now() - start }
        },
        rssMb: () => {
          const status = readFileSync(`/proc/${child.pid}/status`, "utf8")
          return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024
        }
      })
    }
    child.stdout!.on("data", onData)
    child.stderr!.on("data", onData)
    void exited.then((code) => {
      if (!ready) reject(new Error(`the daemon exited with ${code} before it was ready:\n${output}`))
    })
  })

/** A WebSocket to the bridge with the token, open. */
export const openSocket = (daemon: Daemon): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${daemon.wsUrl}?token=${encodeURIComponent(daemon.token)}`)
    ws.once("open", () => resolve(ws))
    ws.once("error", reject)
  })

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms))

/** A probe's result: one summary line, and whether every invariant held. */
export interface Outcome {
  readonly ok: boolean
  readonly summary: string
}

/** `--name value` from argv as a positive integer, else the default. */
export const intFlag = (argv: ReadonlyArray<string>, name: string, fallback: number): number => {
  const at = argv.indexOf(`--${name}`)
  const value = at >= 0 ? Number(argv[at + 1]) : fallback
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`)
  return value
}
