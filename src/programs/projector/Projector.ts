import { Clock, Effect, Option } from "effect"
import {
  type Message,
  newJobId,
  type ProjectionDecision,
  type RenewalPayload,
  targetSnapshotOf
} from "../../domain/index.js"
import { resolveTemplate, settleBase, type Template } from "../../domain/index.js"
import { ArtifactStore, type NewJob } from "../../services/ArtifactStore.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import { type LogEntry, RenewalLog } from "../../services/RenewalLog.js"
import type { TickContext } from "../../services/TimedJobs.js"
import { DISPATCHER, PROJECTOR, Wakeups } from "../../services/Wakeups.js"
import { Leadership } from "../leadership/Leadership.js"
import { outcome, type Runner } from "../timedJobs/Runner.js"
import { decide, Decision } from "./decide.js"

/**
 * Messages are settled `settle_delay_ms` after `observed_at`, or after they were received when
 * the browser's clock ran ahead; stop at the first that is not, so none is skipped.
 */
export const settledPrefix = (messages: ReadonlyArray<Message>, settleDelayMs: number, now: number) => {
  const firstUnsettled = messages.findIndex((m) => settleBase(m) + settleDelayMs > now)
  return firstUnsettled === -1 ? messages : messages.slice(0, firstUnsettled)
}

const payloadOf = (templateName: string, template: Template, message: Message, pageUrl: string | null): string => {
  const payload: RenewalPayload = {
    kind: "renewal.message",
    version: 1,
    template: templateName,
    text: template({ text: message.raw_text, page_url: pageUrl }),
    source_message: {
      id: message.id,
      platform: message.platform,
      conversation_id: message.conversation_id,
      observed_at: message.observed_at
    }
  }
  return JSON.stringify(payload)
}

const decided = (
  base: {
    readonly message_id: Message["id"]
    readonly local_conversation_id: ProjectionDecision["local_conversation_id"]
  },
  decision: ProjectionDecision["decision"],
  skip_reason: ProjectionDecision["skip_reason"],
  job_id: ProjectionDecision["job_id"],
  decided_at: number
): ProjectionDecision => ({
  message_id: base.message_id,
  local_conversation_id: base.local_conversation_id,
  decision,
  skip_reason,
  job_id,
  decided_at
})

/**
 * The `renewal.projector` runner: turns settled assistant messages of `auto` conversations
 * into pending jobs, one per message ever, behind a cursor stored with the jobs it created.
 * Fails with `UnknownTemplate` when the configured template does not exist.
 */
export const make = Effect.gen(function*() {
  const store = yield* ArtifactStore
  const log = yield* RenewalLog
  const wakeups = yield* Wakeups
  const { renewal } = yield* ConductorConfig
  const templateName = renewal.template
  const template = yield* resolveTemplate(templateName)
  // Without leadership (one store and nothing around it: tools, tests) this projector is the only one.
  const leadership = yield* Effect.serviceOption(Leadership)
  const currentTerm = Option.match(leadership, {
    onNone: () => Effect.succeed(Option.some<number | undefined>(undefined)),
    onSome: (l) => l.term as Effect.Effect<Option.Option<number | undefined>>
  })

  const jobFor = (message: Message, decision: Extract<Decision, { _tag: "Create" }>, now: number) =>
    Effect.map(
      newJobId,
      (job_id): NewJob => ({
        job_id,
        local_conversation_id: decision.conversation.local_conversation_id,
        message_id: message.id,
        payload_kind: "json",
        payload: payloadOf(templateName, template, message, decision.link.page_url),
        target_snapshot: targetSnapshotOf(decision.link),
        max_attempts: renewal.maxAttempts,
        next_attempt_at: now
      })
    )

  // Untraced, as the dispatcher's: the scheduler's `TimedJobs.tick` span covers it.
  const tick = Effect.fnUntraced(function*(context: TickContext) {
    // Only the leader projects; the others' ticks do nothing until their heartbeat wins the lease.
    const held = yield* currentTerm
    if (Option.isNone(held)) return outcome("not_leader")
    const term = held.value
    const now = yield* Clock.currentTimeMillis
    const line = (stage: string, result: string, details?: Record<string, unknown>): LogEntry => ({
      runner: PROJECTOR,
      batch_id: context.batch_id,
      stage,
      result,
      details
    })
    const cursor = yield* store.projectorCursor
    const limit = context.max_messages_per_tick
    yield* log.write(line("scan_window", "ok", { cursor, limit, settled_before: now - context.settle_delay_ms }))

    const page = yield* store.messagesAfter(cursor, limit)
    const messages = settledPrefix(page, context.settle_delay_ms, now)
    const jobs: Array<NewJob> = []
    const decisions: Array<ProjectionDecision> = []
    const lines: Array<LogEntry> = []
    for (const message of messages) {
      const decision = yield* decide(store, message)
      const base = {
        message_id: message.id,
        seq: message.seq,
        local_conversation_id: decision.conversation?.local_conversation_id ?? null
      }
      if (Decision.$is("Skip")(decision)) {
        lines.push(line("message_skipped", decision.reason, base))
        decisions.push(decided(base, "skipped", decision.reason, null, now))
      } else {
        const job = yield* jobFor(message, decision, now)
        jobs.push(job)
        lines.push(line("job_created", "created", { ...base, job_id: job.job_id, next_attempt_at: now }))
        decisions.push(decided(base, "job_created", null, job.job_id ?? null, now))
      }
    }

    const cursorAfter = messages.at(-1)?.seq ?? cursor
    if (messages.length > 0) {
      const refused = yield* store.commitProjection(cursorAfter, jobs, decisions, term).pipe(
        Effect.as(null),
        Effect.catchTag("StaleLeaderTerm", (stale) => Effect.succeed(stale))
      )
      // Another node has led since this one's term began: nothing was written; stand down.
      if (refused !== null) {
        const details = { term: refused.term, current_term: refused.current_term }
        yield* Effect.logWarning("Projector: projection refused, stepping down").pipe(Effect.annotateLogs(details))
        yield* log.write(line("commit_refused", "stale_term", details))
        yield* Option.match(leadership, { onNone: () => Effect.void, onSome: (l) => l.stepDown })
        return outcome("not_leader", details)
      }
    }
    // Lines follow the commit: a rolled-back batch leaves no `job_created` behind.
    yield* Effect.forEach(lines, log.write, { discard: true })
    if (jobs.length > 0) yield* wakeups.wake(DISPATCHER)
    // More may wait behind a full page; an unsettled reply gets a timer to when it settles.
    const unsettled = page[messages.length]
    if (page.length === limit && messages.length === limit) yield* wakeups.wake(PROJECTOR)
    else if (unsettled !== undefined) yield* wakeups.wakeAt(PROJECTOR, settleBase(unsettled) + context.settle_delay_ms)

    const details = {
      cursor_before: cursor,
      cursor_after: cursorAfter,
      scanned_messages: messages.length,
      created_jobs: jobs.length,
      skipped_messages: messages.length - jobs.length
    }
    const result = messages.length === 0 ? "idle" : "ok"
    yield* log.write(line("scan_completed", result, details))
    return outcome(result, details)
  })

  return { name: PROJECTOR, tick } satisfies Runner<unknown>
})
