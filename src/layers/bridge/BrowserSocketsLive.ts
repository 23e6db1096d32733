import { Deferred, Effect, Fiber, FiberSet, Layer } from "effect"
import type { ArtifactStore } from "../../services/ArtifactStore.js"
import { BrowserSockets } from "../../services/BrowserSockets.js"
import type { ConductorConfig } from "../../services/ConductorConfig.js"
import type { ClientRegistry } from "./ClientRegistry.js"
import type { PendingDeliveries } from "./PendingDeliveries.js"
import { serveSocket } from "./serveSocket.js"

/**
 * Serves sockets with the services taken once, when the layer is built. Each socket runs in a
 * fiber of the layer's own, not in the upgrade request's: the request returns once the socket
 * is open, so its fiber stack and context are freed instead of living as long as the socket
 * (about two thirds of a connection's memory). Releasing the layer closes every socket.
 */
export const layer = Layer.scoped(
  BrowserSockets,
  Effect.gen(function* () {
    const context = yield* Effect.context<ArtifactStore | ConductorConfig | ClientRegistry | PendingDeliveries>()
    const served = yield* FiberSet.make()
    const run = yield* FiberSet.runtime(served)<never>()
    return BrowserSockets.of({
      open: FiberSet.size(served),
      serve: (socket) =>
        Effect.gen(function* () {
          const opened = yield* Deferred.make<void>()
          const fiber = run(
            serveSocket(socket, Deferred.complete(opened, Effect.void)).pipe(
              Effect.provide(context),
              Effect.ensuring(Deferred.complete(opened, Effect.void))
            )
          )
          // A client gone before the upgrade finished leaves nothing behind.
          yield* Deferred.await(opened).pipe(Effect.onInterrupt(() => Fiber.interrupt(fiber)))
        })
    })
  })
)
