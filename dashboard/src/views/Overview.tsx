import { useEffect, useState } from "preact/hooks"
import { get, post } from "../api.js"
import { Action, Badge, Failure, Loading, Section, Sparkline, When } from "../components.js"
import { useResource } from "../hooks.js"
import { series } from "../throughput.js"
import { JOB_STATUSES, type Client, type Job, type JobStatus, type Page, type Runner, type SystemState } from "../types.js"

const is = (...types: ReadonlyArray<string>) => (event: { readonly type: string }) => types.includes(event.type)

const System = () => {
  const state = useResource("system", () => get<SystemState>("/v1/system/state"), is("system.updated"))
  const act = (what: "pause" | "resume" | "drain") => () => post<SystemState>(`/v1/system/${what}`).then(state.reload)
  const s = state.data
  return (
    <Section title="System" testId="system">
      <Failure error={state.error} />
      {s === undefined ? <Loading /> : (
        <>
          <p>
            Automation <Badge value={s.automation} /> · node <code>{s.node_id}</code> ({s.role}) · version {s.version} · since{" "}
            <When ms={s.started_at} />
          </p>
          {s.nodes === undefined ? null : (
            <p data-testid="system-leader">
              Leader {s.leader == null ? "none" : <><code>{s.leader.node_id}</code> (term {s.leader.term})</>} · nodes{" "}
              {s.nodes.map((n) => `${n.node_id} (${n.role}${n.clients.length === 0 ? "" : `: ${n.clients.join(", ")}`})`).join(" · ") || "none"}
            </p>
          )}
          <div class="actions">
            <Action label="Pause" testId="system-pause" disabled={s.automation === "paused"} run={act("pause")} kind="danger" />
            <Action label="Resume" testId="system-resume" disabled={s.automation === "running"} run={act("resume")} kind="primary" />
            <Action label="Drain" testId="system-drain" disabled={s.automation === "draining"} run={act("drain")} />
          </div>
        </>
      )}
    </Section>
  )
}

const Runners = () => {
  const runners = useResource("runners", () => get<{ runners: ReadonlyArray<Runner> }>("/v1/timed-jobs"), is("runner.tick"))
  return (
    <Section title="Runners" testId="runners">
      <Failure error={runners.error} />
      <table>
        <thead><tr><th>runner</th><th>every</th><th>last tick</th><th>trigger</th><th>result</th><th>took</th></tr></thead>
        <tbody>
          {runners.data?.runners.map((r) => (
            <tr key={r.name}>
              <td><code>{r.name}</code></td>
              <td>{r.interval_ms} ms</td>
              <td><When ms={r.last_tick?.finished_at ?? r.last_tick?.started_at} /></td>
              <td>{r.last_tick?.trigger ?? "—"}</td>
              <td>{r.last_tick === null ? "—" : <Badge value={r.last_tick.result} />}</td>
              <td>{r.last_tick?.finished_at == null ? "—" : `${r.last_tick.finished_at - r.last_tick.started_at} ms`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  )
}

const Clients = () => {
  const clients = useResource("clients", () => get<{ clients: ReadonlyArray<Client> }>("/v1/browser"), is("client.updated"))
  const all = clients.data?.clients ?? []
  const tally = (status: Client["status"]) => all.filter((c) => c.status === status).length
  return (
    <Section title="Browser clients" testId="clients">
      <Failure error={clients.error} />
      <p>
        <Badge value="fresh" /> {tally("fresh")} · <Badge value="stale" /> {tally("stale")} · <Badge value="lost" /> {tally("lost")}
      </p>
      <table>
        <thead><tr><th>client</th><th>platforms</th><th>status</th><th>connected</th><th>last seen</th></tr></thead>
        <tbody>
          {all.map((c) => (
            <tr key={c.connection_id}>
              <td><code>{c.client_id}</code></td>
              <td>{c.platforms.join(", ")}</td>
              <td><Badge value={c.status} /></td>
              <td><When ms={c.connected_at} /></td>
              <td><When ms={c.last_seen_at} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  )
}

/** A status's number of jobs: `total` of a one-row page, or a page of 200 counted on a daemon without `total`. */
const countJobs = async (status: JobStatus): Promise<string> => {
  const one = await get<Page<"jobs", Job>>(`/v1/renewal/jobs?status=${status}&limit=1`)
  if (one.total !== undefined) return String(one.total)
  const page = await get<Page<"jobs", Job>>(`/v1/renewal/jobs?status=${status}&limit=200`)
  return page.count === 200 ? "200+" : String(page.count)
}

const Jobs = () => {
  const counts = useResource("job-counts", () => Promise.all(JOB_STATUSES.map(countJobs)), is("job.updated"))
  const [now, setNow] = useState(Date.now())
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 5000)
    return () => window.clearInterval(timer)
  }, [])
  return (
    <Section title="Jobs" testId="job-counts">
      <Failure error={counts.error} />
      <div class="counts">
        {JOB_STATUSES.map((status, i) => (
          <a key={status} href={`#/jobs?status=${status}`} class="count" data-testid={`count-${status}`}>
            <strong>{counts.data?.[i] ?? "…"}</strong> <Badge value={status} />
          </a>
        ))}
      </div>
      <div class="sparks">
        <Sparkline values={series("done", now)} label="done per minute" kind="done" />
        <Sparkline values={series("failed", now)} label="failed per minute" kind="failed" />
      </div>
      <p class="muted">Counted from live events since this page opened.</p>
    </Section>
  )
}

export const Overview = () => (
  <div class="grid">
    <System />
    <Jobs />
    <Runners />
    <Clients />
  </div>
)
