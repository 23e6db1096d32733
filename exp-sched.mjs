import { Effect, Layer, Queue, Deferred } from "effect"
import * as WakeupsLive from "./dist/src/layers/WakeupsLive.js"
import * as Scheduler from "./dist/src/programs/timedJobs/Scheduler.js"
import { Wakeups } from "./dist/src/services/Wakeups.js"
import { ConductorConfig, defaultRenewalSettings } from "./dist/src/services/ConductorConfig.js"
import { RenewalLog } from "./dist/src/services/RenewalLog.js"
import * as EventsLive from "./dist/src/layers/EventsLive.js"
const N = 5000
const env = Layer.mergeAll(
  Layer.succeed(ConductorConfig, { renewal: { ...defaultRenewalSettings(), intervalMs: 5000 }, node: { nodeId: "n", role: "primary", runId: "r", startedAt: 0, version: "x" } }),
  Layer.succeed(RenewalLog, { write: () => Effect.void, pathAt: () => "", directory: "", removeBefore: () => Effect.succeed([]) }),
  WakeupsLive.layer, EventsLive.layer)
await Effect.runPromise(Effect.scoped(Effect.gen(function*() {
  const done = yield* Queue.unbounded()
  const runner = { name: "r", tick: () => Effect.as(Queue.offer(done, 1), { result: "ok", details: {} }) }
  yield* Scheduler.make([runner])
  const w = yield* Wakeups
  for (let i = 0; i < 100; i++) { yield* w.wake("r"); yield* Queue.take(done) }
  const o = globalThis.__ops ?? 0; const t = performance.now()
  for (let i = 0; i < N; i++) { yield* w.wake("r"); yield* Queue.take(done) }
  console.log("per woken tick:", ((globalThis.__ops - o) / N).toFixed(0), "ops", ((performance.now() - t) * 1000 / N).toFixed(1), "us")
})).pipe(Effect.provide(env)))
