import type { LogEntry } from "../services/RenewalLog.js"

/** An idle runner still writes one tick a minute, so the log shows it is alive. */
export const HEARTBEAT_MS = 60_000

/**
 * Keeps idle ticks out of the log: a tick's `scan_window` line is held back until the tick
 * says more. A `scan_completed` with result `idle` right after it drops both, unless the
 * runner has written no tick for `HEARTBEAT_MS`. Any other line releases the held one first,
 * so a tick that did something is written whole and in order. Ticks of one runner never
 * overlap, so one held line per runner is enough.
 */
export const make = <Line>() => {
  const held = new Map<string, { readonly batch_id: string; readonly line: Line }>()
  const lastTickAt = new Map<string, number>()

  return (ts: number, entry: LogEntry, line: Line): ReadonlyArray<Line> => {
    const waiting = held.get(entry.runner)
    held.delete(entry.runner)
    // A tick cut short before its end still gets its first line written.
    const earlier = waiting === undefined ? [] : [waiting.line]
    if (entry.stage === "scan_window") {
      held.set(entry.runner, { batch_id: entry.batch_id, line })
      return earlier
    }
    if (entry.stage !== "scan_completed" || waiting?.batch_id !== entry.batch_id) return [...earlier, line]
    const last = lastTickAt.get(entry.runner)
    if (entry.result === "idle" && last !== undefined && ts - last < HEARTBEAT_MS) return []
    lastTickAt.set(entry.runner, ts)
    return [...earlier, line]
  }
}
