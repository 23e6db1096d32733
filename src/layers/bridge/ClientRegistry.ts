import { Array as Arr, Clock, Effect, HashMap, Option, Order, Ref } from "effect"
import type { DaemonFrame } from "../../domain/frames.js"
import { CloseCodes } from "../../domain/frames.js"
import type { ClientId, ConnectionId } from "../../domain/index.js"
import type { ClientInfo, ClientStatus } from "../../services/BrowserBridge.js"
import { Events } from "../../services/Events.js"
import { DISPATCHER, Wakeups } from "../../services/Wakeups.js"
import { watchStaleness } from "./clientStatusEvents.js"
import { PendingDeliveries } from "./PendingDeliveries.js"

/** One open socket as the registry sees it; the transport behind it does not matter. */
export interface Connection {
  readonly connection_id: ConnectionId
  /** Queues a frame; never blocks, even on a socket that is closing. */
  readonly send: (frame: DaemonFrame) => Effect.Effect<void>
  readonly close: (code: number, reason: string) => Effect.Effect<void>
}

interface Entry {
  readonly client_id: ClientId
  readonly connection_id: ConnectionId
  readonly platforms: ReadonlyArray<string>
  readonly connected_at: number
  readonly last_seen_at: number
  /** None once disconnected; `disconnected_at` says since when. */
  readonly connection: Option.Option<Connection>
  readonly disconnected_at: number
}

/** A client is fresh while seen within this window. */
export const FRESH_MS = 30_000
/** A disconnected client is listed as lost this long, then forgotten. */
export const LOST_KEPT_MS = 10 * 60_000

const statusAt = (entry: Entry, now: number): ClientStatus | null => {
  if (Option.isNone(entry.connection)) return now - entry.disconnected_at <= LOST_KEPT_MS ? "lost" : null
  return now - entry.last_seen_at <= FRESH_MS ? "fresh" : "stale"
}

const isCurrent = (entry: Entry | undefined, connection_id: ConnectionId) =>
  entry !== undefined && Option.isSome(entry.connection) && entry.connection_id === connection_id

/** Bridge clients by `client_id`: the newest connection of each, and when each was last heard from. */
export class ClientRegistry extends Effect.Service<ClientRegistry>()("baa-conductor/ClientRegistry", {
  scoped: Effect.gen(function*() {
    const pending = yield* PendingDeliveries
    const wakeups = yield* Wakeups
    const events = yield* Events
    const entries = yield* Ref.make(HashMap.empty<ClientId, Entry>())

    /** Makes `connection` the client's current one; an older connection is closed with 4000. */
    const attach = (client_id: ClientId, platforms: ReadonlyArray<string>, connection: Connection) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        const entry: Entry = {
          client_id,
          connection_id: connection.connection_id,
          platforms,
          connected_at: now,
          last_seen_at: now,
          connection: Option.some(connection),
          disconnected_at: 0
        }
        const previous = yield* Ref.modify(
          entries,
          (all) => [HashMap.get(all, client_id), HashMap.set(all, client_id, entry)]
        )
        const replaced = previous.pipe(
          Option.flatMap((old) => old.connection),
          Option.filter((old) => old.connection_id !== connection.connection_id)
        )
        if (Option.isSome(replaced)) {
          yield* pending.failConnection(replaced.value.connection_id)
          yield* replaced.value.close(CloseCodes.replaced, "replaced by a newer connection")
          yield* Effect.logInfo("ClientRegistry.attach: replaced").pipe(
            Effect.annotateLogs({ client_id, old_connection_id: replaced.value.connection_id })
          )
        }
        yield* Effect.logInfo("ClientRegistry.attach").pipe(
          Effect.annotateLogs({ client_id, connection_id: connection.connection_id })
        )
        yield* publishClient(client_id)
        yield* wakeups.wake(DISPATCHER)
      })

    /** Any frame from the current connection is a sign of life. */
    const seen = (client_id: ClientId, connection_id: ConnectionId) =>
      Effect.flatMap(
        Clock.currentTimeMillis,
        (now) =>
          Ref.update(entries, (all) =>
            HashMap.modify(all, client_id, (entry) =>
              isCurrent(entry, connection_id) ? { ...entry, last_seen_at: now } : entry))
      )

    /** The connection ended: its deliveries fail, and the client is lost unless a newer one took over. */
    const detach = (client_id: ClientId, connection_id: ConnectionId) =>
      Effect.gen(function*() {
        const now = yield* Clock.currentTimeMillis
        yield* Ref.update(entries, (all) =>
          HashMap.modify(all, client_id, (entry) =>
            isCurrent(entry, connection_id) ? { ...entry, connection: Option.none(), disconnected_at: now } : entry))
        yield* pending.failConnection(connection_id)
        yield* publishClient(client_id)
      })

    const current = (client_id: ClientId) =>
      Ref.get(entries).pipe(Effect.map((all) => HashMap.get(all, client_id).pipe(Option.flatMap((e) => e.connection))))

    const clients = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      const all = yield* Ref.updateAndGet(entries, HashMap.filter((entry) => statusAt(entry, now) !== null))
      const infos = Arr.map(Arr.fromIterable(HashMap.values(all)), (entry): ClientInfo => ({
        client_id: entry.client_id,
        connection_id: entry.connection_id,
        platforms: entry.platforms,
        connected_at: entry.connected_at,
        last_seen_at: entry.last_seen_at,
        status: statusAt(entry, now) ?? "lost"
      }))
      return Arr.sort(infos, Order.mapInput(Order.string, (info: ClientInfo) => info.client_id))
    })

    const publishClient = (client_id: ClientId) =>
      Effect.flatMap(
        clients,
        (all) =>
          Effect.forEach(all.filter((client) => client.client_id === client_id), (client) =>
            events.publish({ type: "client.updated", client }), { discard: true })
      )

    yield* Effect.forkScoped(watchStaleness(clients, events))

    return { attach, seen, detach, current, clients } as const
  }),
  dependencies: [PendingDeliveries.Default]
}) {}
