import { Command, Options } from "@effect/cli"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import { Console, Effect, Option, Schedule, Stream } from "effect"
import { connectionOptions, tokenFor } from "./connection.js"
import { eventLine } from "./watch/eventLine.js"
import { connect, Refused } from "./watch/eventStream.js"

/** How long to wait before connecting again after the stream dropped. */
export const RECONNECT_MS = 1000

const options = {
  ...connectionOptions,
  types: Options.text("types").pipe(
    Options.optional,
    Options.withDescription("only these event types, comma-separated (e.g. job.updated,message.decided)")
  ),
  count: Options.integer("count").pipe(Options.optional, Options.withDescription("stop after this many events"))
}

/**
 * `baa-conductor watch`: prints the daemon's live events, one line each (`--json`: the event as
 * sent). A dropped stream (daemon restarted, this client fell behind) is connected again; a
 * refused token or filter ends the command.
 */
export const watchCommand = Command.make("watch", options, (args) =>
  Effect.gen(function*() {
    const token = yield* tokenFor(args)
    const baseUrl = args.url.replace(/\/+$/, "")
    const types = Option.match(args.types, {
      onNone: () => [],
      onSome: (list) => list.split(",").map((type) => type.trim()).filter((type) => type !== "")
    })
    const once = connect(baseUrl, token, types).pipe(
      Stream.catchAll((error) =>
        error instanceof Refused ? Stream.fail(error) : Stream.execute(Console.error(`watch: ${error.message}`))
      ),
      Stream.concat(Stream.execute(Console.error(`watch: disconnected; connecting again in ${RECONNECT_MS} ms`)))
    )
    const events = once.pipe(Stream.repeat(Schedule.spaced(RECONNECT_MS)))
    const limited = Option.match(args.count, { onNone: () => events, onSome: (n) => Stream.take(events, n) })
    yield* Stream.runForEach(limited, (event) => Console.log(args.json ? JSON.stringify(event) : eventLine(event)))
  }).pipe(Effect.provide(FetchHttpClient.layer))).pipe(
    Command.withDescription("print live events from the daemon as they happen (reconnects on drop)")
  )
