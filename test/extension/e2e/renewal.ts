/** What the browser test reads back from the daemon: its API and its timed-jobs log. */
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import type { Daemon } from "./daemon.js"

export interface Job {
  readonly job_id: string
  readonly message_id: string
  readonly status: string
  readonly attempt_count: number
  readonly last_error: string | null
  readonly payload_text: string
}

export interface Link {
  readonly local_conversation_id: string
  readonly is_active: boolean
}

export const jobsOf = async (daemon: Daemon, localId: string) =>
  (await daemon.get<{ jobs: Array<Job> }>(`/v1/renewal/jobs?local_conversation_id=${localId}&limit=200`)).jobs

export const linksOf = async (daemon: Daemon, query: string) =>
  (await daemon.get<{ links: Array<Link> }>(`/v1/renewal/links?${query}`)).links

export const lastMessageId = async (daemon: Daemon, localId: string) =>
  (await daemon.get<{ last_message_id: string | null }>(`/v1/renewal/conversations/${localId}`)).last_message_id

/** The dispatcher's log says whether a job's successful attempt was answered as a duplicate. */
export const completedAsDuplicate = (stateDir: string, jobId: string): boolean => {
  const dir = join(stateDir, "logs", "timed-jobs")
  return readdirSync(dir)
    .flatMap((file) => readFileSync(join(dir, file), "utf8").split("\n"))
    .filter((line) => line.includes(jobId) && line.includes("job_completed"))
    .some((line) => line.includes("\"duplicate\":true"))
}
