import { Effect } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { launchFlagsOf } from "../src/codeCache.js"

export { launchFlagsOf }

/** The built daemon, next to the built bench (`dist/bench` → `dist/src/bin.js`). */
export const BIN = fileURLToPath(new URL("../src/bin.js", import.meta.url))

export const launchFlags: ReadonlyArray<string> = launchFlagsOf(BIN)

export interface Server {
  readonly url: string
  readonly pid: number
}

/** `BENCH_NODE_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof"` profiles the spawned servers. */
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter((flag) => flag !== "")

/**
 * Runs `node <script> …args` until the scope closes and waits for the line matching `ready`
 * (its first group is the URL). Output is kept only until then.
 */
export const spawnServer = (
  script: string,
  args: ReadonlyArray<string>,
  ready: RegExp,
  nodeFlags: ReadonlyArray<string> = []
) =>
  Effect.acquireRelease(
    Effect.async<{ readonly child: ChildProcess; readonly url: string }, Error>((resume) => {
      const child = spawn(process.execPath, [...NODE_FLAGS, ...nodeFlags, script, ...args], {
        stdio: ["ignore", "pipe", "pipe"]
      })
      let output = ""
      const onData = (chunk: Buffer) => {
        output += chunk.toString("utf8")
        const match = ready.exec(output)
        if (match === null) return
        child.stdout!.off("data", onData)
        child.stderr!.off("data", onData)
        child.stdout!.resume()
        child.stderr!.resume()
        resume(Effect.succeed({ child, url: match[1]! }))
      }
      child.stdout!.on("data", onData)
      child.stderr!.on("data", onData)
      child.on("exit", (code) => resume(Effect.fail(new Error(`${script} exited with ${code}:\n${output}`))))
    }),
    ({ child }) =>
      Effect.async<void>((resume) => {
        if (child.exitCode !== null || child.signalCode !== null) return resume(Effect.void)
        child.once("exit", () => resume(Effect.void))
        child.kill("SIGTERM")
      })
  ).pipe(Effect.map(({ child, url }): Server => ({ url, pid: child.pid! })))

/** `baa-conductor start` on `stateDir`, any free port, with a known token. */
export const spawnDaemon = (stateDir: string, token: string, extra: ReadonlyArray<string> = []) =>
  spawnServer(
    BIN,
    ["start", "--state-dir", stateDir, "--port", "0", "--token", token, ...extra],
    /listening on (http:\/\/\S+)/,
    launchFlags
  )

/** Resident set size of a process in MiB, from /proc (Linux). */
export const rssMiB = (pid: number): number => {
  const line = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))
  return line === null ? Number.NaN : Number(line[1]) / 1024
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (Linux). */
export const cpuSeconds = (pid: number): number => {
  // Fields after the command name (which may hold spaces); utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ")
  return (Number(fields[11]) + Number(fields[12])) / 100
}
