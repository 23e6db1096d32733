import { ApiError, get } from "../api.js"
import { Badge, Failure, Loading, Section, When } from "../components.js"
import { useResource } from "../hooks.js"
import type { ConversationDetail, Job, LiveEvent, Message, Page } from "../types.js"
import { Switches } from "./Conversations.js"
import { JobCard } from "./JobParts.js"

const LIMIT = 100

interface Loaded {
  readonly conversation: ConversationDetail
  /** null when the daemon has no messages route. */
  readonly messages: ReadonlyArray<Message> | null
  readonly jobs: ReadonlyArray<Job>
}

const load = async (id: string): Promise<Loaded> => {
  const key = encodeURIComponent(id)
  const [conversation, messages, jobs] = await Promise.all([
    get<ConversationDetail>(`/v1/renewal/conversations/${key}`),
    get<Page<"messages", Message>>(`/v1/renewal/messages?local_conversation_id=${key}&limit=${LIMIT}`).then(
      (page) => page.messages,
      (error: unknown) => {
        if (error instanceof ApiError && error.status === 404) return null
        throw error
      }
    ),
    get<Page<"jobs", Job>>(`/v1/renewal/jobs?local_conversation_id=${key}&limit=${LIMIT}`)
  ])
  return { conversation, messages, jobs: jobs.jobs }
}

/** Whether an event is about this conversation (events without one may still be: reload to be sure). */
const about = (id: string) => (event: LiveEvent) => {
  const owner =
    (event["message"] as Message | undefined)?.local_conversation_id ??
    (event["job"] as Job | undefined)?.local_conversation_id ??
    (event["conversation"] as ConversationDetail | undefined)?.local_conversation_id ??
    (event["local_conversation_id"] as string | null | undefined)
  const kinds = ["message.stored", "message.decided", "job.updated", "conversation.updated"]
  return kinds.includes(event.type) && (owner === undefined || owner === null || owner === id)
}

const MessageEntry = (props: { readonly message: Message; readonly job: Job | undefined; readonly done: () => void }) => {
  const { message } = props
  return (
    <li class="entry" data-testid="message-entry" data-id={message.message_id} data-decision={message.decision}>
      <div class="entry-head">
        <When ms={message.observed_at} /> · {message.role} reply <code>{message.message_id}</code> · seq {message.seq} ·{" "}
        <Badge value={message.decision} />
        {message.skip_reason === null ? null : <> because <code class="skip-reason">{message.skip_reason}</code></>}
        {message.decided_at === null ? null : <> · decided <When ms={message.decided_at} /></>}
      </div>
      <blockquote class="reply">{message.raw_text}</blockquote>
      {props.job === undefined ? null : <JobCard job={props.job} done={props.done} />}
    </li>
  )
}

export const Timeline = (props: { readonly id: string }) => {
  const loaded = useResource(`timeline:${props.id}`, () => load(props.id), about(props.id))
  const data = loaded.data
  if (data === undefined) return <Section title="Conversation"><Failure error={loaded.error} /><Loading /></Section>
  const { conversation: c, messages, jobs } = data
  const byMessage = new Map(jobs.map((j) => [j.message_id, j]))
  const shown = new Set((messages ?? []).map((m) => m.message_id))
  const orphans = jobs.filter((j) => !shown.has(j.message_id))
  return (
    <Section title={`Conversation ${c.local_conversation_id}`} testId="timeline">
      <Failure error={loaded.error} />
      <p>
        {c.platform} · <Badge value={c.automation_status} /> <Switches id={c.local_conversation_id} status={c.automation_status} done={loaded.reload} />
      </p>
      <p class="muted">
        {c.active_link === null ? "no active tab" : <>tab <code>{c.active_link.target_id}</code> via <code>{c.active_link.client_id}</code> · {c.active_link.page_url}</>}
      </p>
      <h3>Replies, newest first</h3>
      {messages === null ? <p class="muted">This daemon does not list messages; jobs only.</p> : null}
      <ol class="timeline">
        {(messages ?? []).map((m) => <MessageEntry key={m.message_id} message={m} job={byMessage.get(m.message_id)} done={loaded.reload} />)}
        {orphans.map((job) => (
          <li class="entry" key={job.job_id}>
            <div class="entry-head"><When ms={job.created_at} /> · job for reply <code>{job.message_id}</code></div>
            <JobCard job={job} done={loaded.reload} />
          </li>
        ))}
      </ol>
      {messages?.length === 0 && jobs.length === 0 ? <p class="muted">Nothing yet.</p> : null}
    </Section>
  )
}
