import { get } from "../api.js"
import { Failure, Loading, Section, When } from "../components.js"
import { useResource } from "../hooks.js"
import type { Job, LogLine } from "../types.js"
import { JobCard } from "./JobParts.js"

interface JobLogData {
  readonly log_path: string | null
  readonly total: number
  readonly lines: ReadonlyArray<LogLine>
}

export const JobLog = (props: { readonly id: string }) => {
  const key = encodeURIComponent(props.id)
  const loaded = useResource(
    `log:${props.id}`,
    () => Promise.all([get<Job>(`/v1/renewal/jobs/${key}`), get<JobLogData>(`/v1/renewal/jobs/${key}/log`)]),
    (e) => e.type === "job.updated" && (e["job"] as Job | undefined)?.job_id === props.id
  )
  if (loaded.data === undefined) return <Section title="Job log"><Failure error={loaded.error} /><Loading /></Section>
  const [job, log] = loaded.data
  return (
    <Section title={`Job ${job.job_id}`} testId="job-log">
      <p>
        conversation <a href={`#/conversations/${encodeURIComponent(job.local_conversation_id)}`}><code>{job.local_conversation_id}</code></a>
      </p>
      <JobCard job={job} done={loaded.reload} />
      <h3>Log lines</h3>
      <p class="muted">
        {log.log_path === null ? "Not attempted yet: no log file." : <>from <code>{log.log_path}</code> and the days after it</>}
        {log.total > log.lines.length ? ` · the newest ${log.lines.length} of ${log.total}` : ""}
      </p>
      <table>
        <thead><tr><th>time</th><th>stage</th><th>result</th><th>details</th></tr></thead>
        <tbody>
          {log.lines.map((line, i) => (
            <tr key={i} data-testid="log-line">
              <td><When ms={line.ts} /></td>
              <td><code>{line.stage}</code></td>
              <td><code>{line.result}</code></td>
              <td><code class="details">{line.details === undefined ? "" : JSON.stringify(line.details)}</code></td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>raw JSONL</summary>
        <pre class="raw">{log.lines.map((line) => JSON.stringify(line)).join("\n")}</pre>
      </details>
    </Section>
  )
}
