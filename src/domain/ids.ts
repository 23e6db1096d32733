import { Clock, Effect, Schema } from "effect"
import { createHash } from "node:crypto"

/** A non-empty string, the base of every id. */
const Id = Schema.String.pipe(Schema.minLength(1))

export const MessageId = Id.pipe(Schema.brand("MessageId"))
export type MessageId = typeof MessageId.Type

export const LocalConversationId = Id.pipe(Schema.brand("LocalConversationId"))
export type LocalConversationId = typeof LocalConversationId.Type

export const RemoteConversationId = Id.pipe(Schema.brand("RemoteConversationId"))
export type RemoteConversationId = typeof RemoteConversationId.Type

export const LinkId = Id.pipe(Schema.brand("LinkId"))
export type LinkId = typeof LinkId.Type

export const JobId = Id.pipe(Schema.brand("JobId"))
export type JobId = typeof JobId.Type

export const ClientId = Id.pipe(Schema.brand("ClientId"))
export type ClientId = typeof ClientId.Type

export const ConnectionId = Id.pipe(Schema.brand("ConnectionId"))
export type ConnectionId = typeof ConnectionId.Type

export const RequestId = Id.pipe(Schema.brand("RequestId"))
export type RequestId = typeof RequestId.Type

export const PlanId = Id.pipe(Schema.brand("PlanId"))
export type PlanId = typeof PlanId.Type

export const BatchId = Id.pipe(Schema.brand("BatchId"))
export type BatchId = typeof BatchId.Type

/** `chatgpt`, `claude`, `gemini`, or another lower-case name. */
export const Platform = Schema.String.pipe(
  Schema.pattern(/^[a-z][a-z0-9._-]*$/, {
    message: () => "a lower-case platform name such as chatgpt, claude or gemini"
  })
)
export type Platform = typeof Platform.Type

/** Milliseconds since the Unix epoch. */
export const Millis = Schema.Int.pipe(Schema.nonNegative())
export type Millis = typeof Millis.Type

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

const encodeTime = (ms: number): string => {
  let out = ""
  let rest = ms
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[rest % 32] + out
    rest = Math.floor(rest / 32)
  }
  return out
}

/**
 * A sortable unique id (ULID layout: 10 chars of time, 16 of randomness).
 * Time comes from `Clock` and randomness from `Random`, so tests can pin both.
 */
export const sortableId = (prefix: string): Effect.Effect<string> =>
  // The Random service looked up once, and its 80 bits drawn 20 at a time (four characters a
  // draw): every delivery and tick gets an id, and a draw per character cost an Effect step each.
  Effect.randomWith((random) =>
    Effect.zipWith(
      Clock.currentTimeMillis,
      Effect.all(Array.from({ length: 4 }, () => random.nextIntBetween(0, 2 ** 20))),
      (now, draws) => {
        let chars = ""
        for (const draw of draws) {
          for (let shift = 15; shift >= 0; shift -= 5) chars += CROCKFORD[(draw >> shift) & 31]
        }
        return `${prefix}${encodeTime(now)}${chars}`
      }
    )
  )

export const newLocalConversationId = sortableId("lc_").pipe(Effect.map(LocalConversationId.make))
export const newJobId = sortableId("job_").pipe(Effect.map(JobId.make))
export const newConnectionId = sortableId("conn_").pipe(Effect.map(ConnectionId.make))
export const newRequestId = sortableId("req_").pipe(Effect.map(RequestId.make))
export const newBatchId = sortableId("batch_").pipe(Effect.map(BatchId.make))

/** A link is the same link every time one client observes one remote conversation. */
export const linkIdFor = (platform: string, remoteConversationId: string, clientId: string): LinkId =>
  LinkId.make(
    "link_" +
      createHash("sha256").update(`${platform}\u0000${remoteConversationId}\u0000${clientId}`).digest("hex").slice(
        0,
        24
      )
  )

/** Retries of one job reuse its plan id, so a client can recognise a repeated delivery. */
export const planIdFor = (jobId: JobId): PlanId => PlanId.make(`plan_${jobId}`)
