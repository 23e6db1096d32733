import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema, TestClock } from "effect"
import { RenewalPayload } from "../../src/domain/index.js"
import * as Projector from "../../src/programs/projector/Projector.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { programsEnv, tickContext } from "./dispatcherEnv.js"
import { T0 } from "./fixtures.js"
import { observe } from "./seed.js"

const DAY = 86_400_000
const projectOnce = (settle_delay_ms: number) =>
  Projector.make.pipe(Effect.flatMap((projector) => projector.tick({ ...tickContext(), settle_delay_ms })))
const jobsOf = ArtifactStore.pipe(Effect.flatMap((s) => s.listJobs({ limit: 100, offset: 0 })))

describe("projector: a browser clock ahead of the daemon's", () => {
  it.effect("a message observed in the future settles on its receive time and holds no other conversation", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(T0)
      const ahead = yield* observe({ conversation: "c_ahead", message_id: "m_ahead", observed_at: T0 + DAY })
      yield* observe({ conversation: "c_next", message_id: "m_next", observed_at: T0 })
      expect(ahead.message).toMatchObject({ observed_at: T0 + DAY, received_at: T0 })

      // Not yet settled on the daemon's clock: nothing is skipped past it.
      expect((yield* projectOnce(1000)).details).toMatchObject({ scanned_messages: 0 })
      yield* TestClock.adjust(1000)
      const tick = yield* projectOnce(1000)
      expect(tick.details).toMatchObject({ scanned_messages: 2, created_jobs: 2, cursor_after: 2 })

      const jobs = yield* jobsOf
      expect(jobs.map((j) => j.message_id).sort()).toEqual(["m_ahead", "m_next"])
      // The reported time is kept as it came.
      const payload = Schema.decodeUnknownSync(Schema.parseJson(RenewalPayload))(
        jobs.find((j) => j.message_id === "m_ahead")!.payload
      )
      expect(payload.source_message.observed_at).toBe(T0 + DAY)
    }).pipe(Effect.provide(programsEnv())))
})
