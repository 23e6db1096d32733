import { Command } from "@effect/cli"
import { Effect } from "effect"
import type { SystemState } from "../domain/index.js"
import { type ApiClient, withClient } from "./client.js"
import { connectionOptions } from "./connection.js"
import { fields, print, time } from "./output.js"

const render = (s: SystemState) =>
  fields([
    ["automation", s.automation],
    ["node", `${s.node_id} (${s.role})`],
    ["version", s.version],
    ["started", time(s.started_at)]
  ])

const switchTo = (
  name: "pause" | "resume" | "drain",
  description: string,
  call: (client: ApiClient) => Effect.Effect<SystemState, unknown>
) =>
  Command.make(
    name,
    connectionOptions,
    (args) => withClient(args, call).pipe(Effect.flatMap((state) => print(args.json, state, render)))
  ).pipe(Command.withDescription(description))

/** `baa-conductor system pause|resume|drain`: the daemon-wide automation switch. */
export const systemCommand = Command.make("system").pipe(
  Command.withDescription("pause, resume or drain all renewal work"),
  Command.withSubcommands([
    switchTo("pause", "the dispatcher defers every job", (client) => client.system.pause()),
    switchTo("resume", "back to running; waiting jobs become due at once", (client) => client.system.resume()),
    switchTo("drain", "no new delivery starts; deliveries in flight finish", (client) => client.system.drain())
  ])
)
