import { Effect } from "effect"
import { writeFileSync } from "node:fs"
import { Session } from "node:inspector/promises"
import { join } from "node:path"

/**
 * A CPU profile of one measured stretch of this process, for `bench/cpuProfile.ts`: with
 * `BENCH_PROFILE_DIR=DIR`, `start` begins profiling and `stop(name)` writes `DIR/name.cpuprofile`,
 * so seeding and the peers stay out of it. Without the variable both do nothing.
 */
export const start = Effect.promise(async () => {
  const dir = process.env["BENCH_PROFILE_DIR"]
  if (dir === undefined) return { stop: (_name: string) => Effect.void }
  const session = new Session()
  session.connect()
  await session.post("Profiler.enable")
  await session.post("Profiler.start")
  return {
    stop: (name: string) =>
      Effect.promise(async () => {
        const { profile } = await session.post("Profiler.stop")
        session.disconnect()
        writeFileSync(join(dir, `${name}.cpuprofile`), JSON.stringify(profile))
      })
  }
})
