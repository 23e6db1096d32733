import { text, time } from "../output.js"
import type { WireEvent } from "./eventStream.js"

type Fields = Readonly<Record<string, unknown>>

const field = (value: unknown, key: string): unknown =>
  typeof value === "object" && value !== null ? (value as Fields)[key] : undefined

const summaries: Readonly<Record<string, (event: WireEvent) => string>> = {
  "message.stored": ({ message }) =>
    `${text(field(message, "message_id"))} ${text(field(message, "role"))} in ${
      text(field(message, "local_conversation_id"))
    }`,
  "message.decided": (e) =>
    `${text(e.message_id)} ${text(e.decision)} ${e.decision === "job_created" ? text(e.job_id) : text(e.skip_reason)}`,
  "job.updated": ({ job }) => {
    const error = field(job, "last_error")
    return `${text(field(job, "job_id"))} ${text(field(job, "status"))} attempts ${text(field(job, "attempt_count"))}/${
      text(field(job, "max_attempts"))
    }${error == null ? "" : ` last_error ${text(error)}`} in ${text(field(job, "local_conversation_id"))}`
  },
  "conversation.updated": ({ conversation }) =>
    `${text(field(conversation, "local_conversation_id"))} ${text(field(conversation, "platform"))} ${
      text(field(conversation, "automation_status"))
    }`,
  "client.updated": ({ client }) => `${text(field(client, "client_id"))} ${text(field(client, "status"))}`,
  "system.updated": ({ state }) => `automation ${text(field(state, "automation"))}`,
  "runner.tick": ({ runner, tick }) =>
    `${text(runner)} ${text(field(tick, "result"))} (${text(field(tick, "trigger"))})`
}

/** One readable line per event: when, its number, its type and what changed. */
export const eventLine = (event: WireEvent): string => {
  const summary = summaries[event.type]?.(event) ?? ""
  return `${time(event.at)}  #${event.seq}  ${event.type.padEnd(20)}  ${summary}`.trimEnd()
}
