import { Effect } from "effect"
import { setFlagsFromString } from "node:v8"

/**
 * How far V8 lets its old generation grow past the live heap before a full collection, in
 * percent. V8's own factor goes up to 4x, and it does not give pages back while the process is
 * busy: a burst of large refused frames (each up to 1 MiB, parsed into strings that go straight
 * to the old generation) left ~120 MB of garbage resident after it. At 25%, a full collection
 * comes sooner and RSS returns to within ~15 MB of where it was; the daemon's live heap is small
 * (~60 MB), so the extra collections cost little (a hostile-frame burst took ~15% more CPU).
 */
export const HEAP_GROWING_PERCENT = 25

/** Read by V8 each time it sets the next collection's limit, so it takes effect at runtime. */
export const tune: Effect.Effect<void> = Effect.sync(() =>
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
)
