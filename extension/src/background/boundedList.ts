/**
 * A list kept in a storage area under one key, capped at `max` entries (the oldest go first).
 * Writes are chained so they land in order, and reads come from memory after `load`.
 */
import type { KeyValueArea, Logger } from "./ports.js"

export class BoundedList<A> {
  private items: Array<A> = []
  private saving: Promise<void> = Promise.resolve()

  constructor(
    private readonly area: KeyValueArea,
    private readonly key: string,
    private readonly max: number,
    private readonly log: Logger,
    private readonly what: string,
    /** Whether dropping the oldest is worth a warning (it loses data) or routine. */
    private readonly warnOnDrop: boolean
  ) {}

  async load(): Promise<void> {
    const stored = (await this.area.get(this.key))[this.key]
    this.items = Array.isArray(stored) ? (stored as Array<A>).slice(-this.max) : []
  }

  all(): ReadonlyArray<A> {
    return this.items
  }

  find(predicate: (item: A) => boolean): A | undefined {
    return this.items.find(predicate)
  }

  push(item: A): Promise<void> {
    this.items.push(item)
    const dropped = this.items.length - this.max
    if (dropped > 0) {
      if (this.warnOnDrop) {
        this.log.warn(
          `baa-conductor: ${this.what} is full (${this.max}); dropping the ${dropped} oldest`,
          this.items.slice(0, dropped)
        )
      }
      this.items.splice(0, dropped)
    }
    return this.save()
  }

  /** Removes every entry `predicate` matches; resolves to whether any did. */
  async remove(predicate: (item: A) => boolean): Promise<boolean> {
    const before = this.items.length
    this.items = this.items.filter((item) => !predicate(item))
    if (this.items.length === before) return false
    await this.save()
    return true
  }

  /** Resolves once every write so far is stored. */
  flushed(): Promise<void> {
    return this.saving
  }

  private save(): Promise<void> {
    const snapshot = this.items.slice()
    this.saving = this.saving
      .then(() => this.area.set({ [this.key]: snapshot }))
      .catch((error: unknown) => this.log.warn(`baa-conductor: could not store the ${this.what}`, error))
    return this.saving
  }
}
