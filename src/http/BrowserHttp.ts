import * as HttpApiBuilder from "@effect/platform/HttpApiBuilder"
import { Effect } from "effect"
import { BrowserBridge } from "../services/BrowserBridge.js"
import { Api } from "./Api.js"

export const BrowserHttp = HttpApiBuilder.group(Api, "browser", (handlers) =>
  handlers.handle("clients", () =>
    Effect.flatMap(BrowserBridge, (bridge) => bridge.clients).pipe(Effect.map((clients) => ({ clients })))))
