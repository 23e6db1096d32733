import { Context, Effect, Layer, Ref } from "effect"
import { ArtifactStore } from "../../services/ArtifactStore.js"
import { BrowserSockets } from "../../services/BrowserSockets.js"
import { ConductorConfig } from "../../services/ConductorConfig.js"
import { Wakeups } from "../../services/Wakeups.js"
import { ClientRegistry } from "./ClientRegistry.js"
import { PendingDeliveries } from "./PendingDeliveries.js"
import { serveSocket } from "./serveSocket.js"

/** Serves sockets with the services taken once, when the layer is built, and counts them. */
export const layer = Layer.effect(
  BrowserSockets,
  Effect.gen(function*() {
    // Only what a connection uses: every fiber of a socket carries (and every service added
    // there copies) this context for as long as the socket is open.
    const context = yield* Effect.context<
      ArtifactStore | ConductorConfig | ClientRegistry | PendingDeliveries | Wakeups
    >().pipe(Effect.map(Context.pick(ArtifactStore, ConductorConfig, ClientRegistry, PendingDeliveries, Wakeups)))
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
