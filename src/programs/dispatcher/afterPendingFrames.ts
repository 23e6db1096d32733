import { Duration, Effect } from "effect"

/**
 * Resumes on a later turn of the event loop, after the frames it already holds are handled.
 * A delivery's answer and the client's next reply arrive together; the reply's whole path
 * (ingest, projection, claim, send) runs without leaving the current turn, so the answered
 * delivery's bookkeeping (its outcome write, log line, event, wake-up check) waits for it
 * instead of running inside it. Under the `TestClock` a zero sleep returns at once.
 */
export const afterPendingFrames: Effect.Effect<void> = Effect.sleep(Duration.zero)
