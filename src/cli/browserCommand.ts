import { Command } from "@effect/cli"
import { Effect } from "effect"
import type { ClientInfo } from "../services/BrowserBridge.js"
import { withClient } from "./client.js"
import { connectionOptions } from "./connection.js"
import { print, table, time } from "./output.js"

export const clientsTable = (clients: ReadonlyArray<ClientInfo>): string =>
  clients.length === 0
    ? "no browser clients"
    : table(
      ["client", "status", "platforms", "connection", "connected", "last seen"],
      clients.map((
        c
      ) => [c.client_id, c.status, c.platforms.join(","), c.connection_id, time(c.connected_at), time(c.last_seen_at)])
    )

/** `baa-conductor browser`: the bridge's clients, fresh, stale or lost. */
export const browserCommand = Command.make(
  "browser",
  connectionOptions,
  (args) =>
    withClient(args, (client) => client.browser.clients()).pipe(
      Effect.flatMap((data) => print(args.json, data, (d) => clientsTable(d.clients)))
    )
).pipe(Command.withDescription("the browser extension clients: fresh, stale or lost"))
