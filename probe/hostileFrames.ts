import type WebSocket from "ws"
import { type Daemon, intFlag, openSocket, type Outcome, sleep, startDaemon, tempStateDir } from "./daemon.js"
import { hostile, rng } from "./frames.js"

type Frame = Record<string, any>

/** A bridge connection that hands over frames in order and reports its close code. */
const session = async (daemon: Daemon) => {
  const ws: WebSocket = await openSocket(daemon)
  const frames: Array<Frame> = []
  let wake: (() => void) | null = null
  let closeCode: number | null = null
  ws.on("message", (data) => {
    frames.push(JSON.parse(data.toString()) as Frame)
    wake?.()
  })
  ws.on("close", (code) => {
    closeCode = code
    wake?.()
  })
  /** Frames up to and including the pong answering `sentinel`; null when the socket closed first. */
  const until = async (sentinel: string): Promise<Array<Frame> | null> => {
    for (;;) {
      const at = frames.findIndex((f) => f.type === "pong" && f.ref === sentinel)
      if (at >= 0) return frames.splice(0, at + 1)
      if (closeCode !== null) return null
      await new Promise<void>((done) => (wake = done))
    }
  }
  ws.send(JSON.stringify({ type: "hello", client_id: "probe-hostile", platforms: ["chatgpt"] }))
  ws.send(JSON.stringify({ type: "ping", id: "ready" }))
  await until("ready")
  return { ws, until, closeCode: () => closeCode }
}

/**
 * N hostile frames on one client, each followed by a ping, so every frame's answer (zero or
 * one frame) is known. Invariants: no `internal_error`, every answer names the frame's id when
 * it had a readable one, no error logged by the daemon, frames over 1 MiB closed with 1009, and
 * RSS back within 50 MB of where it started.
 */
export const run = async (argv: ReadonlyArray<string>): Promise<Outcome> => {
  const count = intFlag(argv, "frames", 10_000)
  const random = rng(intFlag(argv, "seed", 13))
  // `--kinds a,b` keeps only those kinds of frame: for finding which one breaks an invariant.
  const kindsAt = argv.indexOf("--kinds")
  const kinds = kindsAt >= 0 ? (argv[kindsAt + 1] ?? "").split(",") : null
  const state = tempStateDir()
  // `--heap-mb N` caps V8's old space, so RSS shows what the daemon keeps rather than garbage
  // V8 has not yet collected (it grows its heap lazily, and gives pages back only after a full GC).
  const heapAt = argv.indexOf("--heap-mb")
  const nodeArgs = heapAt >= 0 ? [`--max-old-space-size=${intFlag(argv, "heap-mb", 256)}`] : []
  const daemon = await startDaemon(state.dir, { nodeArgs })
  const broken: Array<string> = []
  let internal = 0
  let closes1009 = 0
  let peak = 0
  try {
    let client = await session(daemon)
    await sleep(500)
    const rssBefore = daemon.rssMb()
    const sampler = setInterval(() => (peak = Math.max(peak, daemon.rssMb())), 100)
    for (let n = 0; n < count; n++) {
      // Every 1000th frame is over the limit; a 64 MB one among them.
      const oversized = n % 1000 === 999
      const frame = oversized
        ? { kind: "oversized", data: "x".repeat(n === 999 ? 64 * 1024 * 1024 : 1024 * 1024 + 10), ref: undefined }
        : hostile(random, n)
      if (kinds !== null && !kinds.includes(frame.kind)) continue
      client.ws.send(frame.data)
      client.ws.send(JSON.stringify({ type: "ping", id: `s-${n}` }))
      const answers = await client.until(`s-${n}`)
      if (answers === null) {
        if (oversized && client.closeCode() === 1009) closes1009++
        else broken.push(`${frame.kind} #${n}: connection closed with ${client.closeCode()}`)
        client = await session(daemon)
        continue
      }
      if (oversized) broken.push(`oversized #${n}: not closed`)
      for (const answer of answers.slice(0, -1)) {
        if (answer.error === "internal_error") internal++
        if (frame.ref !== undefined && "ref" in answer && answer.ref !== frame.ref) {
          broken.push(`${frame.kind} #${n}: ref ${JSON.stringify(answer.ref)}, expected ${JSON.stringify(frame.ref)}`)
        }
      }
      if (answers.length > 2) broken.push(`${frame.kind} #${n}: ${answers.length - 1} answers`)
    }
    clearInterval(sampler)
    client.ws.close()
    // Idle long enough for V8's memory reducer to run a full collection and give pages back.
    await sleep(10_000)
    const rssAfter = daemon.rssMb()
    const errors = daemon.output().split("\n").filter((line) => /\b(ERROR|FATAL)\b/.test(line)).length
    const { code } = await daemon.stop()
    const rssOk = rssAfter - rssBefore <= 50
    const expected1009 = kinds === null || kinds.includes("oversized") ? Math.floor(count / 1000) : 0
    const ok = internal === 0 && broken.length === 0 && errors === 0 && rssOk && code === 0 &&
      closes1009 === expected1009
    const summary =
      `hostile-frames${
        nodeArgs.length > 0 ? ` (${nodeArgs[0]})` : ""
      }: ${count} frames, ${internal} internal_error, ${broken.length} broken, ${errors} errors logged, ` +
      `${closes1009} closed 1009, rss ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB (peak ${
        peak.toFixed(0)
      }), exit ${code}` +
      (broken.length > 0 ? `; first: ${broken.slice(0, 3).join("; ")}` : "")
    return { ok, summary }
  } finally {
    daemon.child.kill("SIGKILL")
    state.remove()
  }
}
