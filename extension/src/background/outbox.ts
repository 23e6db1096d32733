/**
 * Frames the daemon must acknowledge (`browser.final_message`, `browser.tab_closed`), kept in
 * `storage.local` until their `ack` arrives so neither a dropped socket nor a browser restart
 * loses one. Every entry is resent, in order, after each reconnect; the daemon treats a repeated
 * `message_id` as a no-op, so resending is safe.
 */
import { BoundedList } from "./boundedList.js"
import type { AckedFrame } from "./frames.js"
import type { KeyValueArea, Logger } from "./ports.js"

export const OUTBOX_KEY = "outbox"
export const OUTBOX_MAX = 500

export class Outbox {
  private readonly list: BoundedList<AckedFrame>

  constructor(area: KeyValueArea, log: Logger, max: number = OUTBOX_MAX) {
    this.list = new BoundedList(area, OUTBOX_KEY, max, log, "outbox", true)
  }

  load(): Promise<void> {
    return this.list.load()
  }

  /** Stores the frame; the caller sends it when connected. */
  add(frame: AckedFrame): Promise<void> {
    return this.list.push(frame)
  }

  /** The `ack` (or `error`) for frame `ref` arrived: it is done. */
  settle(ref: string | number | null): Promise<boolean> {
    if (ref === null) return Promise.resolve(false)
    return this.list.remove((frame) => frame.id === String(ref))
  }

  /** Everything not yet acknowledged, oldest first. */
  pending(): ReadonlyArray<AckedFrame> {
    return this.list.all()
  }

  flushed(): Promise<void> {
    return this.list.flushed()
  }
}
