import { Args, Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import { JobId, JobStatus, LocalConversationId, MessageId } from "../domain/index.js"
import type { JobView } from "../http/Views.js"
import { type ApiClient, withClient } from "./client.js"
import { connectionOptions } from "./connection.js"
import { page } from "./conversationsCommand.js"
import { print } from "./output.js"
import { jobDetail, jobsTable, pruneReport } from "./views.js"

const id = Args.text({ name: "job_id" })
const some = <K extends string, A>(key: K, option: Option.Option<A>) =>
  Option.match(option, { onNone: () => ({}), onSome: (value) => ({ [key]: value }) as Record<K, A> })

const list = Command.make(
  "list",
  {
    ...connectionOptions,
    ...page,
    status: Options.choice("status", JobStatus.literals).pipe(Options.optional),
    conversation: Options.text("conversation").pipe(
      Options.optional,
      Options.withDescription("a local_conversation_id")
    ),
    message: Options.text("message").pipe(Options.optional, Options.withDescription("a message_id"))
  },
  (args) =>
    withClient(args, (client) =>
      client.renewal.listJobs({
        urlParams: {
          limit: args.limit,
          offset: args.offset,
          ...some("status", args.status),
          ...some("local_conversation_id", Option.map(args.conversation, LocalConversationId.make)),
          ...some("message_id", Option.map(args.message, MessageId.make))
        }
      })).pipe(Effect.flatMap((data) => print(args.json, data, (d) => jobsTable(d.jobs))))
).pipe(Command.withDescription("list renewal jobs, newest first"))

const one = (
  name: "show" | "retry" | "cancel",
  description: string,
  call: (client: ApiClient, path: { readonly job_id: JobId }) => Effect.Effect<JobView, unknown>
) =>
  Command.make(
    name,
    { ...connectionOptions, id },
    (args) =>
      withClient(args, (client) => call(client, { job_id: JobId.make(args.id) })).pipe(
        Effect.flatMap((data) => print(args.json, data, jobDetail))
      )
  ).pipe(Command.withDescription(description))

const prune = Command.make(
  "prune",
  connectionOptions,
  (args) =>
    withClient(args, (client) => client.retention.prune()).pipe(
      Effect.flatMap((data) => print(args.json, data, pruneReport))
    )
).pipe(Command.withDescription("delete done/failed jobs and log files past their retention now"))

export const jobsCommand = Command.make("jobs").pipe(
  Command.withDescription("list, show, retry, cancel and prune renewal jobs"),
  Command.withSubcommands([
    list,
    one("show", "one renewal job", (client, path) => client.renewal.getJob({ path })),
    one(
      "retry",
      "send a failed job back to pending, due now",
      (client, path) => client.renewalControl.retryJob({ path })
    ),
    one("cancel", "fail a pending job as cancelled", (client, path) => client.renewalControl.cancelJob({ path })),
    prune
  ])
)
