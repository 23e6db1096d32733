import { useState } from "preact/hooks"
import { get, query } from "../api.js"
import { Badge, Failure, Loading, Pager, Section, When } from "../components.js"
import { useResource } from "../hooks.js"
import { JOB_STATUSES, type Job, type Page } from "../types.js"
import { Attempts, JobActions } from "./JobParts.js"

const LIMIT = 50

export const Jobs = (props: { readonly status: string }) => {
  const [status, setStatus] = useState(props.status)
  const [offset, setOffset] = useState(0)
  const path = `/v1/renewal/jobs${query({ status, limit: LIMIT, offset })}`
  const list = useResource(path, () => get<Page<"jobs", Job>>(path), (e) => e.type === "job.updated")
  return (
    <Section title="Jobs" testId="jobs">
      <form class="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          status{" "}
          <select
            value={status}
            data-testid="filter-job-status"
            onChange={(e) => {
              setStatus((e.currentTarget as HTMLSelectElement).value)
              setOffset(0)
            }}
          >
            <option value="">any</option>
            {JOB_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
      </form>
      <Failure error={list.error} />
      {list.data === undefined ? <Loading /> : (
        <>
          <table>
            <thead>
              <tr><th>job</th><th>conversation</th><th>status</th><th>attempts</th><th>last error</th><th>next attempt</th><th>updated</th><th></th></tr>
            </thead>
            <tbody>
              {list.data.jobs.map((job) => (
                <tr key={job.job_id} data-testid="job-row" data-id={job.job_id} data-status={job.status}>
                  <td><code>{job.job_id}</code></td>
                  <td><a href={`#/conversations/${encodeURIComponent(job.local_conversation_id)}`}><code>{job.local_conversation_id}</code></a></td>
                  <td><Badge value={job.status} /></td>
                  <td><Attempts job={job} /></td>
                  <td>{job.last_error === null ? "—" : <code class="error-code">{job.last_error}</code>}</td>
                  <td><When ms={job.next_attempt_at} /></td>
                  <td><When ms={job.updated_at} /></td>
                  <td><JobActions job={job} done={list.reload} /></td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data.count === 0 ? <p class="muted">No job matches.</p> : null}
          <Pager offset={offset} limit={LIMIT} count={list.data.count} total={list.data.total} onOffset={setOffset} />
        </>
      )}
    </Section>
  )
}
