import { useState } from "preact/hooks"
import { get, post, query } from "../api.js"
import { Action, Badge, Failure, Loading, Pager, Section, When } from "../components.js"
import { useResource } from "../hooks.js"
import { AUTOMATION_STATUSES, type AutomationStatus, type Conversation, type Page } from "../types.js"

const LIMIT = 50
const PLATFORMS = ["chatgpt", "claude", "gemini"]

/** The three switches of one conversation; the current status is the disabled one. */
export const Switches = (props: { readonly id: string; readonly status: AutomationStatus; readonly done: () => void }) => (
  <span class="actions">
    {AUTOMATION_STATUSES.map((status) => (
      <Action
        key={status}
        label={status}
        testId={`switch-${status}`}
        disabled={props.status === status}
        kind={status === "auto" ? "primary" : undefined}
        run={() => post(`/v1/renewal/conversations/${encodeURIComponent(props.id)}/${status}`).then(props.done)}
      />
    ))}
  </span>
)

export const Conversations = () => {
  const [platform, setPlatform] = useState("")
  const [status, setStatus] = useState("")
  const [offset, setOffset] = useState(0)
  const path = `/v1/renewal/conversations${query({ platform, status, limit: LIMIT, offset })}`
  const list = useResource(
    path,
    () => get<Page<"conversations", Conversation>>(path),
    (e) => e.type === "conversation.updated" || e.type === "message.stored"
  )
  const filter = (set: (value: string) => void) => (event: Event) => {
    set((event.currentTarget as HTMLSelectElement).value)
    setOffset(0)
  }
  return (
    <Section title="Conversations" testId="conversations">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          platform{" "}
          <select value={platform} onChange={filter(setPlatform)} data-testid="filter-platform">
            <option value="">any</option>
            {PLATFORMS.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label>
          status{" "}
          <select value={status} onChange={filter(setStatus)} data-testid="filter-status">
            <option value="">any</option>
            {AUTOMATION_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </form>
      <Failure error={list.error} />
      {list.data === undefined ? <Loading /> : (
        <>
          <table>
            <thead>
              <tr><th>conversation</th><th>platform</th><th>status</th><th>last reply</th><th>updated</th><th>switch</th></tr>
            </thead>
            <tbody>
              {list.data.conversations.map((c) => (
                <tr key={c.local_conversation_id} data-testid="conversation-row" data-id={c.local_conversation_id}>
                  <td><a href={`#/conversations/${encodeURIComponent(c.local_conversation_id)}`}><code>{c.local_conversation_id}</code></a></td>
                  <td>{c.platform}</td>
                  <td><Badge value={c.automation_status} /></td>
                  <td><When ms={c.last_message_at} /></td>
                  <td><When ms={c.updated_at} /></td>
                  <td><Switches id={c.local_conversation_id} status={c.automation_status} done={list.reload} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.count === 0 ? <p class="muted">No conversation matches: one appears when the extension reports a reply.</p> : null}
          <Pager offset={offset} limit={LIMIT} count={list.data.count} total={list.data.total} onOffset={setOffset} />
        </>
      )}
    </Section>
  )
}
