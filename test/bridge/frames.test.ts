import { describe, expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { finalMessage, helloClient, ServerTest, TOKEN, wsUrl } from "./harness.js"
import { closed, connect, next, request, send } from "./wsClient.js"

/** What the store holds: every malformed frame must leave all three at zero. */
const storedCounts = Effect.gen(function*() {
  const store = yield* ArtifactStore
  const page = { limit: 200, offset: 0 }
  return {
    messages: (yield* store.messagesAfter(0, 1000)).length,
    conversations: (yield* store.listConversations(page)).length,
    links: (yield* store.listLinks(page)).length
  }
})
const nothingStored = { messages: 0, conversations: 0, links: 0 }

interface Case {
  readonly name: string
  readonly frame: unknown
  readonly ref: string | null
  readonly field?: string
  /** Part of the message that tells the extension author what is allowed. */
  readonly says?: string
}

const malformed: ReadonlyArray<Case> = [
  { name: "text that is not JSON", frame: "{not json", ref: null },
  { name: "a JSON array", frame: "[1,2,3]", ref: null },
  { name: "JSON null", frame: "null", ref: null },
  { name: "a JSON string", frame: "\"hello\"", ref: null },
  { name: "a JSON number", frame: "42", ref: null },
  { name: "an empty object", frame: {}, ref: null, field: "type" },
  { name: "an unknown type", frame: { type: "browser.mystery", id: "u-1" }, ref: "u-1", field: "type" },
  { name: "a type that is not a string", frame: { type: 7, id: "u-2" }, ref: "u-2", field: "type" },
  {
    name: "a missing message_id",
    frame: { ...finalMessage(), message_id: undefined },
    ref: "f-1",
    field: "message_id",
    says: "message_id is required"
  },
  { name: "a missing tab_id", frame: { ...finalMessage(), tab_id: undefined }, ref: "f-1", field: "tab_id" },
  { name: "a negative tab_id", frame: finalMessage({ tab_id: -3 }), ref: "f-1", field: "tab_id" },
  { name: "a fractional tab_id", frame: finalMessage({ tab_id: 1.5 }), ref: "f-1", field: "tab_id" },
  { name: "a tab_id as a string", frame: finalMessage({ tab_id: "17" }), ref: "f-1", field: "tab_id" },
  { name: "text as a number", frame: finalMessage({ text: 5 }), ref: "f-1", field: "text" },
  {
    name: "an unknown role",
    frame: finalMessage({ role: "bot" }),
    ref: "f-1",
    field: "role",
    says: "\"assistant\" | \"user\" | \"system\""
  },
  { name: "an upper-case platform", frame: finalMessage({ platform: "ChatGPT" }), ref: "f-1", field: "platform" },
  { name: "an empty message_id", frame: finalMessage({ message_id: "" }), ref: "f-1", field: "message_id" },
  { name: "observed_at as text", frame: finalMessage({ observed_at: "yesterday" }), ref: "f-1", field: "observed_at" },
  { name: "shell_page as text", frame: finalMessage({ shell_page: "no" }), ref: "f-1", field: "shell_page" },
  {
    name: "tab_closed with tab 0",
    frame: { type: "browser.tab_closed", id: "t-1", tab_id: 0 },
    ref: "t-1",
    field: "tab_id"
  },
  {
    name: "action_result without accepted",
    frame: { type: "action_result", id: "a-1", request_id: "req_1" },
    ref: "a-1",
    field: "accepted"
  }
]

layer(ServerTest)("bridge frames", (it) => {
  describe("before hello", () => {
    it.scoped("answers any other frame with hello_required and stores nothing", () =>
      Effect.gen(function*() {
        const client = yield* connect(yield* wsUrl(`?token=${TOKEN}`))
        const ping = yield* request(client, { type: "ping", id: "p-0" })
        const message = yield* request(client, finalMessage())
        expect(ping).toMatchObject({ type: "error", ref: "p-0", error: "hello_required" })
        expect(message).toMatchObject({ type: "error", ref: "f-1", error: "hello_required" })
        expect(yield* storedCounts).toEqual(nothingStored)
        const ack = yield* request(client, { type: "hello", client_id: "late-hello", platforms: [] })
        expect(ack.type).toBe("hello_ack")
      }))

    it.scoped("rejects a hello without client_id, naming the field", () =>
      Effect.gen(function*() {
        const client = yield* connect(yield* wsUrl(`?token=${TOKEN}`))
        const answer = yield* request(client, { type: "hello", id: "h-1", platforms: ["chatgpt"] })
        expect(answer).toMatchObject({
          type: "error",
          ref: "h-1",
          error: "invalid_frame",
          details: { field: "client_id" }
        })
      }))
  })

  describe("malformed frames", () => {
    it.scoped.each(malformed)(
      "answers $name with invalid_frame, stores nothing and stays open",
      (testCase) =>
        Effect.gen(function*() {
          const { client } = yield* helloClient("malformed")
          const answer = yield* request(client, testCase.frame)
          expect(answer).toMatchObject({ type: "error", ref: testCase.ref, error: "invalid_frame" })
          expect(answer.message).toEqual(expect.any(String))
          if (testCase.field !== undefined) expect(answer.details).toEqual({ field: testCase.field })
          if (testCase.says !== undefined) expect(answer.message).toContain(testCase.says)
          expect(yield* storedCounts).toEqual(nothingStored)
          // Still open and still speaking.
          expect(yield* request(client, { type: "ping" })).toMatchObject({
            type: "pong",
            server_time: expect.any(Number)
          })
        })
    )

    it.scoped("closes the connection with 1009 on a frame over 1 MiB, storing nothing", () =>
      Effect.gen(function*() {
        const { client } = yield* helloClient("huge")
        yield* send(client, finalMessage({ text: "x".repeat(1024 * 1024 + 1) }))
        const close = yield* closed(client)
        expect(close.code).toBe(1009)
        expect(yield* storedCounts).toEqual(nothingStored)
      }))
  })

  it.scoped("answers ping with pong and the server time", () =>
    Effect.gen(function*() {
      const { client } = yield* helloClient("pinger")
      yield* send(client, { type: "ping", id: "p-1" })
      expect(yield* next(client)).toMatchObject({ type: "pong", ref: "p-1", server_time: expect.any(Number) })
    }))
})
