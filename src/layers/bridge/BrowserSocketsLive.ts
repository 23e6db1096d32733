import { Effect, Layer } from "effect"
import type { ArtifactStore } from "../../services/ArtifactStore.js"
import { BrowserSockets } from "../../services/BrowserSockets.js"
import type { ConductorConfig } from "../../services/ConductorConfig.js"
import type { Wakeups } from "../../services/Wakeups.js"
import type { ClientRegistry } from "./ClientRegistry.js"
import type { PendingDeliveries } from "./PendingDeliveries.js"
import { serveSocket } from "./serveSocket.js"

/** Serves sockets with the services taken once, when the layer is built. */
export const layer = Layer.effect(
  BrowserSockets,
  Effect.map(Effect.context<ArtifactStore | ConductorConfig | ClientRegistry | PendingDeliveries | Wakeups>(), (context) =>
    BrowserSockets.of({ serve: (socket) => Effect.provide(serveSocket(socket), context) })
  )
)
