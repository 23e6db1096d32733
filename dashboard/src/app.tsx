import { useEffect, useState } from "preact/hooks"
import { ApiError, call, onSignedOut, signOut } from "./api.js"
import { useHashRoute, useLiveStatus } from "./hooks.js"
import * as live from "./live.js"
import { notify, useNotice } from "./notice.js"
import { readToken, saveToken } from "./token.js"
import { Conversations } from "./views/Conversations.js"
import { JobLog } from "./views/JobLog.js"
import { Jobs } from "./views/Jobs.js"
import { Overview } from "./views/Overview.js"
import { Timeline } from "./views/Timeline.js"

/** Asks for the token once per tab, checks it against the daemon, and keeps it in sessionStorage. */
const TokenForm = (props: { readonly accepted: (token: string) => void }) => {
  const [token, setToken] = useState("")
  const [refusal, setRefusal] = useState<string | null>(null)
  const submit = (event: Event) => {
    event.preventDefault()
    call("GET", "/v1/system/state", token.trim()).then(
      () => props.accepted(token.trim()),
      (error: unknown) =>
        setRefusal(error instanceof ApiError && error.status === 401 ? "The daemon refused this token." : String(error))
    )
  }
  return (
    <form class="card token" onSubmit={submit} data-testid="token-form">
      <h2>Connect to the daemon</h2>
      <p class="muted">
        The token is in <code>&lt;state-dir&gt;/token</code> (or the <code>--token</code> the daemon was started with). It is
        kept for this tab only.
      </p>
      <input type="password" autoComplete="off" placeholder="token" value={token} data-testid="token-input"
        onInput={(e) => setToken((e.currentTarget as HTMLInputElement).value)} />
      <button type="submit" class="primary" data-testid="token-submit">Connect</button>
      {refusal === null ? null : <p class="failure" role="alert">{refusal}</p>}
    </form>
  )
}

const View = ({ route }: { readonly route: string }) => {
  const [path, search = ""] = route.split("?")
  const params = new URLSearchParams(search)
  const parts = (path ?? "/").split("/").filter((p) => p !== "").map(decodeURIComponent)
  if (parts[0] === "conversations" && parts[1] !== undefined) return <Timeline id={parts[1]} />
  if (parts[0] === "conversations") return <Conversations />
  if (parts[0] === "jobs" && parts[1] !== undefined) return <JobLog id={parts[1]} />
  if (parts[0] === "jobs") return <Jobs key={route} status={params.get("status") ?? ""} />
  return <Overview />
}

const LIVE_TEXT: Record<live.LiveStatus, string> = { connecting: "connecting…", live: "live", reconnecting: "reconnecting…" }

export const App = () => {
  const [token, setToken] = useState(readToken())
  const route = useHashRoute()
  const status = useLiveStatus()
  const notice = useNotice()
  useEffect(() => onSignedOut(() => setToken(null)), [])
  useEffect(() => {
    if (token === null) live.stop()
    else live.start(token)
  }, [token])
  useEffect(() => notify(null), [route])

  if (token === null) {
    return <main><TokenForm accepted={(t) => { saveToken(t); setToken(t) }} /></main>
  }
  const section = route.split("/")[1] ?? ""
  const tab = (href: string, name: string, label: string) => (
    <a href={href} class={(name === "" ? section === "" : section.startsWith(name)) ? "current" : ""}>{label}</a>
  )
  return (
    <>
      <header>
        <strong>baa-conductor</strong>
        <nav>
          {tab("#/", "", "Overview")}
          {tab("#/conversations", "conversations", "Conversations")}
          {tab("#/jobs", "jobs", "Jobs")}
        </nav>
        <span class={`live live-${status}`} data-testid="live-status">{LIVE_TEXT[status]}</span>
        <button type="button" onClick={signOut}>Forget token</button>
      </header>
      {notice === null ? null : (
        <p class="notice" role="status" data-testid="notice">
          {notice} <button type="button" onClick={() => notify(null)}>dismiss</button>
        </p>
      )}
      <main><View route={route} /></main>
    </>
  )
}
