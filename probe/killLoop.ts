import { apiData, type Delivery, extension } from "./bridgeClient.js"
import { type Daemon, intFlag, type Outcome, sleep, startDaemon, tempStateDir } from "./daemon.js"
import { rng } from "./frames.js"

const ARGS = [
  "--interval-ms",
  "100",
  "--default-automation-status",
  "auto",
  "--retry-base-delay-ms",
  "50",
  "--retry-max-delay-ms",
  "200",
  "--max-attempts",
  "1000",
  "--execution-timeout-ms",
  "2000"
]

const countOf = async (daemon: Daemon, status: string) =>
  (await apiData(daemon, `/v1/renewal/jobs?status=${status}&limit=200`)).jobs as ReadonlyArray<Record<string, any>>

/** Waits (at most a minute) until no job is pending or running. */
const drain = async (daemon: Daemon) => {
  for (let i = 0; i < 600; i++) {
    if ((await countOf(daemon, "pending")).length === 0 && (await countOf(daemon, "running")).length === 0) return
    await sleep(100)
  }
}

/**
 * Cycles of: start, send replies, kill -9 after a random moment. Then one last start that
 * drains, and the durability checks: every acknowledged reply has exactly one job; none is left
 * `running`; no pending job is past due; every delivery of a job carried `plan_<job_id>`.
 */
export const run = async (argv: ReadonlyArray<string>): Promise<Outcome> => {
  const cycles = intFlag(argv, "cycles", 50)
  const perCycle = intFlag(argv, "messages", 5)
  const random = rng(intFlag(argv, "seed", 13))
  const state = tempStateDir()
  const acked = new Set<string>()
  const deliveries: Array<Delivery> = []
  const broken: Array<string> = []
  let sent = 0
  try {
    for (let cycle = 0; cycle < cycles; cycle++) {
      const daemon = await startDaemon(state.dir, { args: ARGS })
      const client = await extension(daemon, acked, deliveries)
      for (let k = 0; k < perCycle; k++, sent++) client.reply(`m_${cycle}_${k}`, k % 3)
      await sleep(Math.floor(random() * 400))
      await daemon.stop("SIGKILL")
    }
    const daemon = await startDaemon(state.dir, { args: ARGS })
    await extension(daemon, acked, deliveries)
    await drain(daemon)

    const jobByMessage = new Map<string, Record<string, any>>()
    for (const message_id of acked) {
      const { jobs } = await apiData(daemon, `/v1/renewal/jobs?message_id=${message_id}`)
      if (jobs.length !== 1) broken.push(`${message_id}: ${jobs.length} jobs`)
      else jobByMessage.set(message_id, jobs[0])
    }
    const running = await countOf(daemon, "running")
    const now = Date.now()
    const overdue = (await countOf(daemon, "pending")).filter((job) => (job.next_attempt_at ?? 0) <= now)
    if (running.length > 0) broken.push(`${running.length} jobs left running`)
    if (overdue.length > 0) broken.push(`${overdue.length} pending jobs past due`)
    const wrongPlan = deliveries.filter((d) => {
      const job = jobByMessage.get(d.message_id)
      return job !== undefined && d.plan_id !== `plan_${job.job_id}`
    })
    if (wrongPlan.length > 0) broken.push(`${wrongPlan.length} deliveries with another plan id`)
    const done = [...jobByMessage.values()].filter((job) => job.status === "done").length
    const { code } = await daemon.stop("SIGTERM")
    if (code !== 0) broken.push(`exit ${code} on SIGTERM`)
    const summary =
      `kill9: ${cycles} cycles, ${sent} replies sent, ${acked.size} acked, ${jobByMessage.size} with one job ` +
      `(${done} done), ${deliveries.length} deliveries (${
        deliveries.length - new Set(deliveries.map((d) => d.message_id)).size
      } redeliveries, plan ids kept), ` +
      `${running.length} running, ${overdue.length} overdue` +
      (broken.length > 0 ? `; broken: ${broken.slice(0, 3).join("; ")}` : "")
    return { ok: broken.length === 0, summary }
  } finally {
    state.remove()
  }
}
