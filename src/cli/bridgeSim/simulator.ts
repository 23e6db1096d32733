import { Clock, Console, Data, Deferred, Effect, HashSet, Option, Queue, Redacted, Ref, Schema, Stream } from "effect"
import WebSocket from "ws"
import { replySource } from "./replies.js"
import { replyFrame, type SimConfig, socketUrl } from "./SimConfig.js"

type Frame = Record<string, unknown>

const Frame = Schema.Record({ key: Schema.String, value: Schema.Unknown })
const decodeFrame = Schema.decodeUnknownOption(Schema.parseJson(Frame))

export class SimError extends Data.TaggedError("SimError")<{ readonly message: string }> {}

const connect = (config: SimConfig) =>
  Effect.acquireRelease(
    Effect.async<WebSocket, SimError>((resume) => {
      const url = socketUrl(config.url)
      const ws = new WebSocket(url, {
        headers: { authorization: `Bearer ${Redacted.value(config.token)}` },
        handshakeTimeout: 10_000
      })
      ws.once("open", () => resume(Effect.succeed(ws)))
      ws.once("unexpected-response", (_request, response) => {
        let body = ""
        response.on("data", (chunk) => (body += chunk))
        response.on("end", () =>
          resume(
            Effect.fail(new SimError({ message: `${url} refused the connection: HTTP ${response.statusCode} ${body}` }))
          ))
      })
      ws.once("error", (error) =>
        resume(Effect.fail(new SimError({ message: `cannot connect to ${url}: ${error.message}` }))))
      return Effect.sync(() =>
        ws.terminate()
      )
    }),
    (ws) => Effect.sync(() => ws.close(1000))
  )

/**
 * A stand-in for the browser extension: says hello, reports replies, answers deliveries
 * according to `mode`, and prints every frame it gets as one JSON line.
 */
export const runBridgeSim = (config: SimConfig, print: (line: string) => Effect.Effect<void> = Console.log) =>
  Effect.gen(function*() {
    const ws = yield* connect(config)
    const inbox = yield* Queue.unbounded<string>()
    const closed = yield* Deferred.make<never, SimError>()
    ws.on("message", (data) => inbox.unsafeOffer(data.toString()))
    ws.on("error", () => {}) // a close event always follows
    ws.on("close", (code, reason) => {
      const message = `the daemon closed the connection: ${code} ${reason.toString()}`.trim()
      Deferred.unsafeDone(closed, Effect.fail(new SimError({ message })))
    })
    const send = (frame: Frame) => Effect.sync(() => ws.send(JSON.stringify(frame)))

    // Answers are matched to what we sent by `ref` (the hello's answer by its type).
    const waiting = yield* Ref.make(new Map<string, Deferred.Deferred<Frame>>())
    const request = (frame: Frame) =>
      Effect.gen(function*() {
        const answer = yield* Deferred.make<Frame>()
        yield* Ref.update(waiting, (m) => new Map(m).set(String(frame.id), answer))
        yield* send(frame)
        return yield* Deferred.await(answer)
      })
    const settle = (key: string, frame: Frame) =>
      Ref.modify(waiting, (m) => {
        const next = new Map(m)
        next.delete(key)
        return [m.get(key), next] as const
      }).pipe(Effect.flatMap((answer) => (answer ? Deferred.succeed(answer, frame) : Effect.void)))

    // A plan already delivered is answered as a duplicate, as the protocol asks of clients.
    const delivered = yield* Ref.make(HashSet.empty<string>())
    const answerDelivery = (frame: Frame) =>
      Effect.gen(function*() {
        if (config.mode === "silent") return
        const received_at = yield* Clock.currentTimeMillis
        const accepted = config.mode === "accept"
        const seen = yield* Ref.getAndUpdate(delivered, HashSet.add(String(frame.plan_id)))
        const duplicate = accepted && HashSet.has(seen, String(frame.plan_id))
        yield* send({
          type: "action_result",
          request_id: frame.request_id,
          accepted,
          completed: accepted,
          failed: !accepted,
          reason: accepted ? null : config.rejectReason,
          duplicate,
          received_at
        })
      })

    const onFrame = (frame: Frame) =>
      Effect.gen(function*() {
        yield* print(JSON.stringify(frame))
        if (frame.type === "browser.proxy_delivery") yield* answerDelivery(frame)
        if (frame.type === "hello_ack") yield* settle("hello", frame)
        else if (frame.ref !== undefined && frame.ref !== null) yield* settle(String(frame.ref), frame)
      })
    // A frame that is not a JSON object is reported and skipped; it never ends the simulator.
    const onText = (text: string) =>
      Option.match(decodeFrame(text), {
        onNone: () =>
          Effect.logWarning("bridge-sim: ignored a frame that is not a JSON object").pipe(
            Effect.annotateLogs({ frame: text.slice(0, 200) })
          ),
        onSome: onFrame
      })
    yield* Queue.take(inbox).pipe(Effect.flatMap(onText), Effect.forever, Effect.forkScoped)

    const exchange = Effect.gen(function*() {
      const hello = yield* request({
        type: "hello",
        id: "hello",
        client_id: config.clientId,
        platforms: [config.platform],
        version: "bridge-sim/1"
      })
      if (hello.type !== "hello_ack") return yield* new SimError({ message: `hello refused: ${String(hello.message)}` })

      let n = 0
      yield* replySource(config).pipe(
        Stream.runForEach((reply) =>
          Effect.flatMap(Clock.currentTimeMillis, (now) => request(replyFrame(config, ++n, now, reply)))
        )
      )
      if (!config.exitAfterReplies) return yield* Effect.never
    })
    yield* Effect.raceFirst(exchange, Deferred.await(closed))
  }).pipe(Effect.scoped)
