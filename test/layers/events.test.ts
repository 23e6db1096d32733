import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Fiber, Layer, Option, Stream, TestClock } from "effect"
import type { RenewalJob } from "../../src/domain/index.js"
import * as EventedArtifactStore from "../../src/layers/EventedArtifactStore.js"
import * as EventsLive from "../../src/layers/EventsLive.js"
import { Events } from "../../src/services/Events.js"
import { dispatchOnce, programsEnv } from "../programs/dispatcherEnv.js"
import { T0 } from "../programs/fixtures.js"
import { conversationWithJob, getJob } from "../programs/seed.js"
import * as BrowserBridgeTest from "../support/BrowserBridgeTest.js"

const BUFFER = 4

/** The programs' environment with a publishing store and a small subscriber buffer. */
const env = (buffer = BUFFER) =>
  EventedArtifactStore.layer.pipe(
    Layer.provideMerge(programsEnv()),
    Layer.provideMerge(Layer.scoped(Events, EventsLive.make(buffer)))
  )

const system = (n: number) => ({
  type: "system.updated" as const,
  state: { automation: "running" as const, node_id: `n${n}`, role: "primary" as const, started_at: 0, version: "t" }
})

describe("live events", () => {
  it.scoped("a subscriber that keeps up gets every event in order; one that fills its buffer is ended", () =>
    Effect.gen(function*() {
      const events = yield* EventsLive.make(BUFFER)
      const fast = yield* Stream.toPull(yield* events.subscribe)
      const slow = yield* events.subscribe
      const seen: Array<number> = []
      for (let n = 1; n <= 10; n++) {
        yield* events.publish(system(n))
        for (const event of Chunk.toReadonlyArray(yield* fast)) seen.push(event.seq)
      }
      expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
      // Ten events into four places: the slow one fell behind and its stream ends, not hangs.
      expect(Chunk.size(yield* Stream.runCollect(slow))).toBe(0)
      yield* events.publish(system(11))
      expect(Chunk.toReadonlyArray(yield* fast).map((e) => [e.seq, e.type])).toEqual([[11, "system.updated"]])
    }))

  it.scoped("events published while nobody listens only take their number; a later subscriber gets what follows", () =>
    Effect.gen(function*() {
      const events = yield* EventsLive.make(BUFFER)
      yield* events.publish(system(1))
      yield* events.publish(system(2))
      const pull = yield* Stream.toPull(yield* events.subscribe)
      yield* events.publish(system(3))
      expect(Chunk.toReadonlyArray(yield* pull)).toMatchObject([{ seq: 3, state: { node_id: "n3" } }])
    }))

  it.scoped("a subscriber that never reads does not hold up the dispatcher", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const stuck = yield* (yield* Events).subscribe
      const jobs = ["a", "b", "c", "d", "e", "f"]
      for (const name of jobs) yield* conversationWithJob(name, T0)
      const script = yield* BrowserBridgeTest.BrowserBridgeScript
      yield* script.respond(...jobs.map(() => BrowserBridgeTest.accepted()))

      // Twelve job writes (claim, then done) into a buffer of four, nobody reading.
      const tick = yield* Effect.fork(dispatchOnce())
      const outcome = yield* Fiber.join(tick)
      expect(outcome.details).toMatchObject({ due_jobs: 6, successful_jobs: 6 })
      for (const name of jobs) expect((yield* getJob(`job_${name}`)).status).toBe("done")
      const drained = yield* Stream.runHead(stuck)
      expect(Option.isNone(drained)).toBe(true)
    }).pipe(Effect.provide(env())))

  it.scoped("each committed job write is one job.updated, in the order written", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const pull = yield* Stream.toPull(yield* (yield* Events).subscribe)
      yield* conversationWithJob("one", T0)
      yield* (yield* BrowserBridgeTest.BrowserBridgeScript).respond(BrowserBridgeTest.accepted())
      yield* dispatchOnce()
      const seen: Array<RenewalJob> = []
      while (seen.at(-1)?.status !== "done") {
        for (const event of Chunk.toReadonlyArray(yield* pull)) {
          if (event.type === "job.updated") seen.push(event.job)
        }
      }
      // Created pending, claimed and sent while running, then done; the last event is the row as stored.
      expect(seen.map((job) => job.status).filter((status, i, all) => status !== all[i - 1])).toEqual([
        "pending",
        "running",
        "done"
      ])
      expect(seen.at(-1)).toEqual(yield* getJob("job_one"))
    }).pipe(Effect.provide(env(100))))
})
