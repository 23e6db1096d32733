import { Effect, Layer, Ref } from "effect"
import type { ArtifactStore } from "../../services/ArtifactStore.js"
import { BrowserSockets } from "../../services/BrowserSockets.js"
import type { ConductorConfig } from "../../services/ConductorConfig.js"
import type { Wakeups } from "../../services/Wakeups.js"
import type { ClientRegistry } from "./ClientRegistry.js"
import type { PendingDeliveries } from "./PendingDeliveries.js"
import { serveSocket } from "./serveSocket.js"

/** Serves sockets with the services taken once, when the layer is built, and counts them. */
export const layer = Layer.effect(
  BrowserSockets,
  Effect.gen(function*() {
    const context = yield* Effect.context<
      ArtifactStore | ConductorConfig | ClientRegistry | PendingDeliveries | Wakeups
    >()
    const open = yield* Ref.make(0)
    return BrowserSockets.of({
      open: Ref.get(open),
      serve: (socket, onOpen) =>
        Effect.acquireUseRelease(
          Ref.update(open, (n) => n + 1),
          () => Effect.provide(serveSocket(socket, onOpen), context),
          () => Ref.update(open, (n) => n - 1)
        )
    })
  })
)
