import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { BrowserBridge } from "../services/BrowserBridge.js"
import { DeliveryPolicy } from "../services/DeliveryPolicy.js"
import { Api } from "./Api.js"

export const BrowserHttp = HttpApiBuilder.group(
  Api,
  "browser",
  (handlers) =>
    handlers.handle("clients", () =>
      Effect.gen(function*() {
        const clients = yield* Effect.flatMap(BrowserBridge, (bridge) => bridge.clients)
        const policy = yield* (yield* DeliveryPolicy).platforms(clients.flatMap((client) => client.platforms))
        return { clients, policy }
      }))
)
