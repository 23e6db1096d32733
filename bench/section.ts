import type { Effect } from "effect"

/**
 * One part of `npm run bench`: a module exporting `name` and `run` fits as it is
 * (`import * as X from "./x.js"`), so adding a section is one line in `main.ts`.
 */
export interface Section {
  readonly name: string
  readonly run: () => Effect.Effect<void>
}
