/**
 * The built daemon for the browser tests, on a port fixed for the whole file so it can be
 * stopped and started again where the extension expects it (test/support/daemon.ts always asks
 * for a fresh port). Promise-based, like playwright.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { existsSync } from "node:fs"
import { createServer } from "node:net"
import { BIN } from "../../support/daemon.js"

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })

export interface Daemon {
  readonly url: string
  readonly wsUrl: string
  readonly token: string
  start(): Promise<void>
  stop(): Promise<void>
  output(): string
  get<A>(path: string): Promise<A>
  post<A>(path: string): Promise<A>
}

export const daemon = (
  options: { stateDir: string; port: number; token: string; args: ReadonlyArray<string> }
): Daemon => {
  const url = `http://127.0.0.1:${options.port}`
  let child: ChildProcess | null = null
  let output = ""

  const call = async <A>(method: string, path: string): Promise<A> => {
    const response = await fetch(`${url}${path}`, { method, headers: { authorization: `Bearer ${options.token}` } })
    const body = (await response.json()) as { ok: boolean; data: A }
    if (!body.ok) throw new Error(`${method} ${path}: ${JSON.stringify(body)}`)
    return body.data
  }

  return {
    url,
    wsUrl: `ws://127.0.0.1:${options.port}/v1/browser/ws`,
    token: options.token,
    output: () => output,
    start: () => {
      if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`)
      const args = ["start", "--state-dir", options.stateDir, "--port", String(options.port), "--token", options.token]
      const started = spawn(process.execPath, [BIN, ...args, ...options.args], { stdio: ["ignore", "pipe", "pipe"] })
      child = started
      const from = output.length
      return new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer) => {
          output += chunk.toString("utf8")
          if (/listening on http/.test(output.slice(from))) resolve()
        }
        started.stdout!.on("data", onData)
        started.stderr!.on("data", onData)
        started.once("exit", (code) => reject(new Error(`the daemon exited with ${code}:\n${output}`)))
      })
    },
    stop: () => {
      const running = child
      child = null
      if (running === null || running.exitCode !== null) return Promise.resolve()
      return new Promise<void>((resolve) => {
        running.once("exit", () => resolve())
        running.kill("SIGTERM")
      })
    },
    get: (path) => call("GET", path),
    post: (path) => call("POST", path)
  }
}
