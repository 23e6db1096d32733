import { Effect } from "effect"
import { SystemAutomation } from "../../domain/index.js"
import { orDie } from "./boundary.js"
import * as State from "./state.js"

const AUTOMATION = "system.automation"

export const make = Effect.gen(function*() {
  const state = yield* State.make
  return {
    automation: orDie(state.get(AUTOMATION, SystemAutomation, "running")),
    setAutomation: (automation: SystemAutomation) =>
      orDie(state.set(AUTOMATION, SystemAutomation, automation).pipe(Effect.as(automation)))
  } as const
})
