import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import * as BatchSweep from "./batchSweep.js"
import * as Dispatcher from "./dispatcher.js"
import * as Floor from "./floor.js"
import * as Latency from "./latency.js"
import * as List from "./list.js"
import * as Pipeline from "./pipeline.js"
import * as Postgres from "./postgres.js"
import * as Retention from "./retention.js"
import * as Rss from "./rss.js"
import type { Section } from "./section.js"
import * as Silent from "./silent.js"
import * as Store from "./store.js"
import * as WsDrain from "./wsDrain.js"

/** Every section, in run order. `node dist/bench/main.js store` runs only the named ones. */
const sections: ReadonlyArray<Section> = [
  Store,
  Dispatcher,
  Pipeline,
  WsDrain,
  Floor,
  Latency,
  Silent,
  BatchSweep,
  List,
  Rss,
  Retention,
  Postgres
]

const wanted = process.argv.slice(2)
const chosen = sections.filter((s) => wanted.length === 0 || wanted.includes(s.name))

const main = Effect.forEach(
  chosen,
  (section) => Console.log(`\n== ${section.name} ==`).pipe(Effect.zipRight(section.run())),
  { discard: true }
)

NodeRuntime.runMain(main)
