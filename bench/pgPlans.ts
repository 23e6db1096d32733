import { Effect } from "effect"
import { ClientId, JobId, LocalConversationId, MessageId, RemoteConversationId } from "../src/domain/index.js"
import type { ArtifactStoreService } from "../src/services/ArtifactStore.js"
import { HISTORY_END } from "./seed.js"

/** A store operation whose statements' plans are read back from `auto_explain`. */
export interface PlanProbe {
  readonly label: string
  readonly run: (store: ArtifactStoreService) => Effect.Effect<unknown, unknown>
}

const page = { limit: 20, offset: 0 }
const deep = { limit: 20, offset: 5_000 }
const lc = LocalConversationId.make("lc-7")
const claimant = { node_id: "plans", run_id: "run" }

export const planProbes: ReadonlyArray<PlanProbe> = [
  { label: "conversations", run: (s) => s.listConversations(page) },
  { label: "conversations status=paused", run: (s) => s.listConversations({ ...page, status: "paused" }) },
  { label: "conversations offset 5k", run: (s) => s.listConversations(deep) },
  { label: "links client_id", run: (s) => s.listLinks({ ...page, client_id: ClientId.make("client-3") }) },
  {
    label: "links platform is_active=false",
    run: (s) => s.listLinks({ ...page, platform: "gemini", is_active: false })
  },
  {
    label: "links remote_conversation_id",
    run: (s) => s.listLinks({ ...page, remote_conversation_id: RemoteConversationId.make("conv-7") })
  },
  { label: "jobs", run: (s) => s.listJobs(page) },
  { label: "jobs status=pending", run: (s) => s.listJobs({ ...page, status: "pending" }) },
  { label: "jobs status=done offset 5k", run: (s) => s.listJobs({ ...deep, status: "done" }) },
  { label: "jobs local_conversation_id", run: (s) => s.listJobs({ ...page, local_conversation_id: lc }) },
  { label: "jobs message_id", run: (s) => s.listJobs({ ...page, message_id: MessageId.make("msg-7") }) },
  { label: "getJob", run: (s) => s.getJob(JobId.make("job_hist_00000007")) },
  { label: "activeLink", run: (s) => s.activeLink(lc) },
  { label: "messagesAfter (projector page)", run: (s) => s.messagesAfter(999_000, 10) },
  { label: "claimDueJobs (10)", run: (s) => s.claimDueJobs({ ...claimant, now: HISTORY_END * 2, limit: 10 }) },
  {
    label: "recoverStaleJobs",
    run: (s) =>
      s.recoverStaleJobs({ ...claimant, claimed_before: 0, now: 0, last_error: "stale_running", log_path: "x" })
  },
  {
    label: "makePendingJobsDue (conversation)",
    run: (s) => s.makePendingJobsDue({ now: 0, local_conversation_id: lc })
  },
  { label: "makePendingJobsDue (all)", run: (s) => s.makePendingJobsDue({ now: 0 }) }
]

export interface PlanSummary {
  readonly scans: ReadonlyArray<string>
  /** The most rows any one scan node returned. */
  readonly maxRows: number
  readonly ms: number
  /** A sequential scan over one of the big tables. */
  readonly seqScan: boolean
}

const SCAN = /(Seq|Index Only|Index|Bitmap Heap|Bitmap Index) Scan( Backward)?( using \S+)? on \S+/
const BIG = /Seq Scan on (renewal_jobs|messages|conversation_links|local_conversations)\b/

/** The scan nodes of every plan `auto_explain` reported for one operation. */
export const summarize = (plans: ReadonlyArray<string>): PlanSummary => {
  const lines = plans.flatMap((p) => p.split("\n"))
  const scanLines = lines.filter((l) => SCAN.test(l))
  const scans = scanLines.map((l) => SCAN.exec(l)![0])
  const rows = scanLines.map((l) => Number(/actual time=\S+ rows=(\d+)/.exec(l)?.[1] ?? 0))
  const ms = plans.reduce((sum, p) => sum + Number(/duration: ([\d.]+) ms/.exec(p)?.[1] ?? 0), 0)
  return { scans: [...new Set(scans)], maxRows: Math.max(0, ...rows), ms, seqScan: lines.some((l) => BIG.test(l)) }
}

export const runProbe = (store: ArtifactStoreService, probe: PlanProbe, notices: Array<string>) =>
  Effect.gen(function*() {
    notices.length = 0
    yield* probe.run(store)
    return summarize(notices.filter((n) => n.includes("plan:")))
  })
