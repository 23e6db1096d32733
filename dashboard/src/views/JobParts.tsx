import { post } from "../api.js"
import { Action, Badge, When } from "../components.js"
import type { Job } from "../types.js"

const jobPath = (job: Job) => `/v1/renewal/jobs/${encodeURIComponent(job.job_id)}`

/** Retry for a failed job, cancel for a pending one; the API refuses the others with 409. */
export const JobActions = (props: { readonly job: Job; readonly done: () => void }) => (
  <span class="actions">
    {props.job.status === "failed" ? (
      <Action label="retry" kind="primary" testId="job-retry" run={() => post(`${jobPath(props.job)}/retry`).then(props.done)} />
    ) : null}
    {props.job.status === "pending" ? (
      <Action label="cancel" kind="danger" testId="job-cancel" run={() => post(`${jobPath(props.job)}/cancel`).then(props.done)} />
    ) : null}
    <a href={`#/jobs/${encodeURIComponent(props.job.job_id)}/log`}>log</a>
  </span>
)

export const Attempts = ({ job }: { readonly job: Job }) => (
  <span title="attempts made / allowed">
    {job.attempt_count}/{job.max_attempts}
  </span>
)

/** Everything about one job that an operator asks first: where it is, why, and what it sends. */
export const JobCard = (props: { readonly job: Job; readonly done: () => void }) => {
  const { job } = props
  return (
    <div class={`job job-${job.status}`} data-testid="job-card" data-id={job.job_id} data-status={job.status}>
      <div class="job-head">
        <Badge value={job.status} /> <code>{job.job_id}</code> · attempts <Attempts job={job} />
        {job.last_error === null ? null : <> · error <code class="error-code">{job.last_error}</code></>}
        {job.next_attempt_at === null ? null : <> · next <When ms={job.next_attempt_at} /></>}
        {job.finished_at === null ? null : <> · finished <When ms={job.finished_at} /></>}
        <JobActions job={job} done={props.done} />
      </div>
      {job.payload_text === null ? (
        <p class="failure">The payload has no text: the dispatcher fails this job.</p>
      ) : (
        <pre class="payload" title="the exact text sent">{job.payload_text}</pre>
      )}
    </div>
  )
}
