import * as FileSystem from "@effect/platform/FileSystem"
import * as Path from "@effect/platform/Path"
import { Effect, Option } from "effect"
import { type JobId, RecordNotFound, type RenewalJob } from "../../domain/index.js"
import { ArtifactStore } from "../../services/ArtifactStore.js"

/** One line of the timed-jobs log, as written (`docs/logs.md`). */
export interface LogLine {
  readonly ts: number
  readonly runner: string
  readonly batch_id: string
  readonly stage: string
  readonly result: string
  readonly details?: Readonly<Record<string, unknown>>
}

/** A job's life rarely spans more days than this; older files are not read for one request. */
export const MAX_DAYS = 31
/** The newest lines kept when a job has more (a job retried for weeks). */
export const MAX_LINES = 1000

const DAY_MS = 86_400_000
const utcDay = (ts: number) => new Date(ts).toISOString().slice(0, 10)

/**
 * The files that can hold lines about the job: its `log_path` (the day of its first attempt)
 * and the other daily files in the same directory from its creation to its last update, so
 * `job_created` and attempts after midnight are found too.
 */
const candidateFiles = (job: RenewalJob, path: Path.Path): ReadonlyArray<string> => {
  if (job.log_path === null) return []
  const directory = path.dirname(job.log_path)
  const from = Math.max(job.created_at, job.updated_at - (MAX_DAYS - 1) * DAY_MS)
  const days = new Set<string>()
  for (let ts = from; utcDay(ts) <= utcDay(job.updated_at); ts += DAY_MS) days.add(utcDay(ts))
  const files = [...days].map((day) => path.join(directory, `${day}.jsonl`))
  return files.includes(job.log_path) ? files : [job.log_path, ...files]
}

const parse = (line: string): LogLine | null => {
  try {
    return JSON.parse(line) as LogLine
  } catch {
    return null
  }
}

/** The lines of one file that name the job; a missing or unreadable file has none. */
const linesIn = (fs: FileSystem.FileSystem, file: string, jobId: JobId) =>
  fs.readFileString(file).pipe(
    Effect.map((text) => {
      // The cheap substring test keeps JSON.parse off the many lines about other jobs and idle ticks.
      const needle = `"job_id":${JSON.stringify(jobId)}`
      return text
        .split("\n")
        .filter((line) => line.includes(needle))
        .map(parse)
        .filter((line): line is LogLine => line !== null && line.details?.["job_id"] === jobId)
    }),
    Effect.orElseSucceed((): ReadonlyArray<LogLine> => [])
  )

/** The JSONL log lines about one job, oldest first, or `RecordNotFound`. */
export const jobLogLines = Effect.fn("JobLog.lines")(function*(jobId: JobId) {
  const store = yield* ArtifactStore
  const fs = yield* FileSystem.FileSystem
  const path = yield* Path.Path
  const job = yield* store.getJob(jobId).pipe(
    Effect.flatMap(Option.match({
      onNone: () => Effect.fail(new RecordNotFound({ resource: "renewal_job", id: jobId })),
      onSome: Effect.succeed
    }))
  )
  const perFile = yield* Effect.forEach(candidateFiles(job, path), (file) => linesIn(fs, file, jobId))
  const lines = perFile.flat().sort((a, b) => a.ts - b.ts)
  return { job_id: job.job_id, log_path: job.log_path, total: lines.length, lines: lines.slice(-MAX_LINES) }
})
