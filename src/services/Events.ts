import { Context, Effect, type Scope, Stream } from "effect"
import type {
  BrowserClient,
  JobId,
  LocalConversation,
  LocalConversationId,
  MessageId,
  MessageRecord,
  ProjectionDecision,
  RenewalJob,
  SystemState,
  TickRecord
} from "../domain/index.js"

/** What changed, as published; the service stamps `seq` and `at`. */
export type EventInput =
  | { readonly type: "message.stored"; readonly message: MessageRecord }
  | {
    readonly type: "message.decided"
    readonly message_id: MessageId
    readonly local_conversation_id: LocalConversationId | null
    readonly decision: ProjectionDecision["decision"]
    readonly skip_reason: ProjectionDecision["skip_reason"]
    readonly job_id: JobId | null
  }
  | { readonly type: "job.updated"; readonly job: RenewalJob }
  | { readonly type: "conversation.updated"; readonly conversation: LocalConversation }
  | { readonly type: "client.updated"; readonly client: BrowserClient }
  | { readonly type: "system.updated"; readonly state: SystemState }
  | { readonly type: "runner.tick"; readonly runner: string; readonly tick: TickRecord }

export type EventType = EventInput["type"]

export const EVENT_TYPES: ReadonlyArray<EventType> = [
  "message.stored",
  "message.decided",
  "job.updated",
  "conversation.updated",
  "client.updated",
  "system.updated",
  "runner.tick"
]

/** An event as subscribers see it: `seq` increases by one per event within a daemon run. */
export type ConductorEvent = EventInput & { readonly seq: number; readonly at: number }

export interface EventsService {
  /** Fire-and-forget: never waits for a subscriber, never fails. */
  readonly publish: (event: EventInput) => Effect.Effect<void>
  /**
   * Subscribes now (events published after this returns are delivered) and gives the stream of
   * them. The stream ends when this subscriber fell more than its buffer behind, or when the
   * scope closes.
   */
  readonly subscribe: Effect.Effect<Stream.Stream<ConductorEvent>, never, Scope.Scope>
}

/**
 * Live changes for the dashboard and `watch`. Without a live layer nothing is published and
 * subscribers see no event, so programs and tests that do not care need not provide it.
 */
export class Events extends Context.Reference<Events>()("baa-conductor/Events", {
  defaultValue: (): EventsService => ({ publish: () => Effect.void, subscribe: Effect.succeed(Stream.never) })
}) {}

/** Publishes through whichever `Events` is in context. */
export const publish = (event: EventInput): Effect.Effect<void> =>
  Effect.flatMap(Events, (events) => events.publish(event))
