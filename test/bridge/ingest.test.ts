import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { ClientId, LocalConversationId } from "../../src/domain/index.js"
import { ArtifactStore } from "../../src/services/ArtifactStore.js"
import { finalMessage, helloClient, ServerTest } from "./harness.js"
import { request } from "./wsClient.js"

const page = { limit: 200, offset: 0 }

describe("browser.final_message", () => {
  it.scoped("stores the message, creates the conversation and its active link, and acks", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const { client } = yield* helloClient("firefox-chatgpt")
      const ack = yield* request(client, finalMessage())
      expect(ack).toMatchObject({ type: "ack", ref: "f-1", message_id: "msg_1", duplicate: false })
      expect(ack.local_conversation_id).toMatch(/^lc_/)

      const [message] = yield* store.messagesAfter(0, 10)
      expect(message).toMatchObject({
        id: "msg_1",
        role: "assistant",
        raw_text: "Here is the answer.",
        observed_at: 1_774_872_000_000
      })
      const conversation = Option.getOrThrow(
        yield* store.getConversation(LocalConversationId.make(ack.local_conversation_id))
      )
      expect(conversation).toMatchObject({ platform: "chatgpt", automation_status: "manual", last_message_id: "msg_1" })

      const link = Option.getOrThrow(yield* store.activeLink(conversation.local_conversation_id))
      expect(link).toMatchObject({
        client_id: "firefox-chatgpt",
        remote_conversation_id: "conv_abc",
        page_url: "https://chatgpt.com/c/conv_abc",
        page_title: "Title",
        route_path: "/c/conv_abc",
        route_pattern: "/c/:conversationId",
        route_params: { conversationId: "conv_abc" },
        target_kind: "browser.proxy_delivery",
        target_id: "tab:17",
        is_active: true
      })
      expect(link.target_payload).toMatchObject({
        client_id: "firefox-chatgpt",
        conversation_id: "conv_abc",
        page_url: "https://chatgpt.com/c/conv_abc",
        tab_id: 17,
        shell_page: false
      })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped.each([
    { platform: "claude", url: "https://claude.ai/chat/c-9", path: "/chat/c-9", pattern: "/chat/:conversationId" },
    { platform: "gemini", url: "https://gemini.google.com/app/g-9", path: "/app/g-9", pattern: "/app/:conversationId" }
  ])("records the $platform route of the page", ({ path, pattern, platform, url }) =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const { client } = yield* helloClient(`firefox-${platform}`, [platform])
      const remote = path.split("/")[2]!
      yield* request(
        client,
        finalMessage({ platform, conversation_id: remote, page_url: url, organization_id: "org-1" })
      )
      const [link] = yield* store.listLinks({ ...page, client_id: ClientId.make(`firefox-${platform}`) })
      expect(link).toMatchObject({
        platform,
        route_path: path,
        route_pattern: pattern,
        route_params: { conversationId: remote }
      })
      expect(link?.target_payload).toMatchObject({ organization_id: "org-1", tab_id: 17 })
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("defaults observed_at to the daemon's clock", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const { client } = yield* helloClient("firefox-clock")
      const pong = yield* request(client, { type: "ping" })
      yield* request(client, finalMessage({ observed_at: undefined }))
      const [message] = yield* store.messagesAfter(0, 10)
      expect(message?.observed_at).toBe(pong.server_time)
    }).pipe(Effect.provide(ServerTest)))

  it.scoped("acknowledges a repeated message_id as a duplicate and changes nothing", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const { client } = yield* helloClient("firefox-chatgpt")
      const first = yield* request(client, finalMessage())
      const again = yield* request(client, finalMessage({ id: "f-2", text: "changed", tab_id: 99 }))
      expect(again).toEqual({
        type: "ack",
        ref: "f-2",
        message_id: "msg_1",
        local_conversation_id: first.local_conversation_id,
        duplicate: true
      })
      const messages = yield* store.messagesAfter(0, 10)
      expect(messages.map((m) => m.raw_text)).toEqual(["Here is the answer."])
      expect((yield* store.listConversations(page)).length).toBe(1)
    }).pipe(Effect.provide(ServerTest)))
})

describe("browser.tab_closed", () => {
  it.scoped("deactivates this client's links on the tab and acks", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const { client } = yield* helloClient("firefox-chatgpt")
      const { client: other } = yield* helloClient("firefox-other")
      yield* request(client, finalMessage())
      yield* request(
        other,
        finalMessage({
          conversation_id: "conv_other",
          message_id: "msg_o",
          page_url: "https://chatgpt.com/c/conv_other"
        })
      )

      const ack = yield* request(client, { type: "browser.tab_closed", id: "t-1", tab_id: 17 })
      expect(ack).toMatchObject({ type: "ack", ref: "t-1", tab_id: 17 })

      const active = yield* store.listLinks({ ...page, is_active: true })
      expect(active.map((l) => l.client_id)).toEqual(["firefox-other"])
      const inactive = yield* store.listLinks({ ...page, is_active: false })
      expect(inactive.map((l) => l.client_id)).toEqual(["firefox-chatgpt"])
    }).pipe(Effect.provide(ServerTest)))
})
