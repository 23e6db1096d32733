import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { LocalConversationId, MessageDecision, type MessageRecord } from "../domain/index.js"
import { withClient } from "./client.js"
import { connectionOptions } from "./connection.js"
import { page } from "./conversationsCommand.js"
import { print, table, text, time } from "./output.js"

const some = <K extends string, A>(key: K, option: Option.Option<A>) =>
  Option.match(option, { onNone: () => ({}), onSome: (value) => ({ [key]: value }) as Record<K, A> })

/** What became of a message: its job, or why it made none. */
export const outcomeOf = (m: Pick<MessageRecord, "decision" | "skip_reason" | "job_id">): string =>
  m.decision === "job_created" ? text(m.job_id) : m.decision === "skipped" ? text(m.skip_reason) : "-"

export const messagesTable = (messages: ReadonlyArray<MessageRecord>): string =>
  messages.length === 0
    ? "no messages"
    : table(
      ["seq", "message", "conversation", "role", "decision", "job / reason", "observed"],
      messages.map((m) => [
        String(m.seq),
        m.message_id,
        text(m.local_conversation_id),
        m.role,
        m.decision,
        outcomeOf(m),
        time(m.observed_at)
      ])
    )

const list = Command.make(
  "list",
  {
    ...connectionOptions,
    ...page,
    conversation: Options.text("conversation").pipe(
      Options.optional,
      Options.withDescription("a local_conversation_id")
    ),
    platform: Options.text("platform").pipe(Options.optional),
    decision: Options.choice("decision", MessageDecision.literals).pipe(Options.optional)
  },
  (args) =>
    withClient(args, (client) =>
      client.renewal.listMessages({
        urlParams: {
          limit: args.limit,
          offset: args.offset,
          ...some("local_conversation_id", Option.map(args.conversation, LocalConversationId.make)),
          ...some("platform", args.platform),
          ...some("decision", args.decision)
        }
      })).pipe(
        Effect.flatMap((data) =>
          print(args.json, data, (d) => `${messagesTable(d.messages)}\n${d.count} of ${d.total}`)
        )
      )
).pipe(Command.withDescription("list reported messages with the projector's decision, newest first"))

export const messagesCommand = Command.make("messages").pipe(
  Command.withDescription("the messages the browser reported, and whether each made a job or why not"),
  Command.withSubcommands([list])
)
