import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { AutomationStatus, LocalConversationId } from "../domain/index.js"
import { withClient } from "./client.js"
import { connectionOptions } from "./connection.js"
import { print } from "./output.js"
import { conversationDetail, conversationsTable } from "./views.js"

const id = Args.text({ name: "local_conversation_id" }).pipe(Args.withDescription("the conversation's lc_… id"))
export const page = {
  limit: Options.integer("limit").pipe(Options.withDefault(20), Options.withDescription("page size, 1..200")),
  offset: Options.integer("offset").pipe(Options.withDefault(0), Options.withDescription("items to skip"))
}

const list = Command.make(
  "list",
  {
    ...connectionOptions,
    ...page,
    platform: Options.text("platform").pipe(Options.optional),
    status: Options.choice("status", AutomationStatus.literals).pipe(Options.optional)
  },
  (args) =>
    withClient(args, (client) =>
      client.renewal.listConversations({
        urlParams: {
          limit: args.limit,
          offset: args.offset,
          ...Option.match(args.platform, { onNone: () => ({}), onSome: (platform) => ({ platform }) }),
          ...Option.match(args.status, { onNone: () => ({}), onSome: (status) => ({ status }) })
        }
      })).pipe(Effect.flatMap((data) => print(args.json, data, (d) => conversationsTable(d.conversations))))
).pipe(Command.withDescription("list conversations, most recently updated first"))

const show = Command.make(
  "show",
  { ...connectionOptions, id },
  (args) =>
    withClient(
      args,
      (client) => client.renewal.getConversation({ path: { local_conversation_id: LocalConversationId.make(args.id) } })
    ).pipe(Effect.flatMap((data) => print(args.json, data, conversationDetail)))
).pipe(Command.withDescription("one conversation with its active link and newest jobs"))

const status = Args.choice(AutomationStatus.literals.map((s) => [s, s] as const), { name: "status" })

const set = Command.make("set", { ...connectionOptions, id, status }, (args) =>
  withClient(args, (client) => {
    const path = { local_conversation_id: LocalConversationId.make(args.id) }
    switch (args.status) {
      case "manual":
        return client.renewalControl.setManual({ path })
      case "auto":
        return client.renewalControl.setAuto({ path })
      case "paused":
        return client.renewalControl.setPaused({ path })
    }
  }).pipe(Effect.flatMap((data) => print(args.json, data, conversationDetail)))).pipe(
    Command.withDescription("switch a conversation to manual, auto or paused")
  )

export const conversationsCommand = Command.make("conversations").pipe(
  Command.withDescription("list, show and switch conversations"),
  Command.withSubcommands([list, show, set])
)
