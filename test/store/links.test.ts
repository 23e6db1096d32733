import { describe, expect, it } from "@effect/vitest"
import { Effect, Option, TestClock } from "effect"
import { ClientId, linkIdFor, LocalConversationId, RemoteConversationId } from "../../src/domain/index.js"
import { ArtifactStore, type LinkInput } from "../../src/services/ArtifactStore.js"
import { storeBackends } from "../support/storeBackends.js"
import { conversation, observedLink } from "./fixtures.js"

const linkFor = (
  c: {
    readonly local_conversation_id: LocalConversationId
    readonly platform: string
    readonly remote_conversation_id: string
  },
  client: string,
  observed_at: number,
  tab = 7
): LinkInput => ({
  ...observedLink(client, tab),
  link_id: linkIdFor(c.platform, c.remote_conversation_id, client),
  local_conversation_id: c.local_conversation_id,
  platform: c.platform,
  remote_conversation_id: RemoteConversationId.make(c.remote_conversation_id),
  observed_at
})

const linkIds = (list: ReadonlyArray<{ readonly link_id: string }>) => list.map((l) => l.link_id)

describe.each(storeBackends)("links on $name", ({ layer: tempStoreLayer }) => {
  it.layer(tempStoreLayer)((it) => {
    it.effect("keeps exactly one active link per conversation: the latest upserted", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("active-1")
        const a = yield* store.upsertLink(linkFor(c, "client-a", 1_000))
        expect(a.is_active).toBe(true)
        expect(a.route_params).toEqual({ conversationId: "conv-1" })
        expect(a.target_payload).toMatchObject({ tab_id: 7, client_id: "client-a" })

        const b = yield* store.upsertLink(linkFor(c, "client-b", 2_000))
        const all = yield* store.listLinks({ local_conversation_id: c.local_conversation_id, limit: 20, offset: 0 })
        expect(all.map((l) => [l.link_id, l.is_active])).toEqual([[b.link_id, true], [a.link_id, false]])

        yield* TestClock.setTime(3_000)
        const again = yield* store.upsertLink({ ...linkFor(c, "client-a", 3_000, 9), page_title: "Renamed" })
        expect(again).toMatchObject({ link_id: a.link_id, is_active: true, target_id: "tab:9", page_title: "Renamed" })
        expect(again.created_at).toBe(a.created_at)
        expect(again.updated_at).toBe(3_000)
        const active = yield* store.activeLink(c.local_conversation_id)
        expect(Option.map(active, (l) => l.link_id)).toEqual(Option.some(a.link_id))
        const actives = yield* store.listLinks({
          local_conversation_id: c.local_conversation_id,
          is_active: true,
          limit: 20,
          offset: 0
        })
        expect(linkIds(actives)).toEqual([a.link_id])
      }))

    it.effect("a link for an unknown conversation is refused and nothing changes", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c = yield* conversation("unknown-link")
        const ghost = { ...c, local_conversation_id: LocalConversationId.make("lc_ghost") }
        const error = yield* store.upsertLink(linkFor(ghost, "client-z", 1)).pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "InvalidStoreInput", field: "local_conversation_id" })
        const bad = yield* store.upsertLink({ ...linkFor(c, "client-z", 1), observed_at: -1 }).pipe(Effect.flip)
        expect(bad).toMatchObject({ _tag: "InvalidStoreInput", field: "observed_at" })
        expect(yield* store.listLinks({ client_id: ClientId.make("client-z"), limit: 20, offset: 0 })).toEqual([])
      }))

    it.effect("deactivates one client's links on one tab, by target id or payload tab", () =>
      Effect.gen(function*() {
        const store = yield* ArtifactStore
        const c1 = yield* conversation("tab-1")
        const c2 = yield* conversation("tab-2")
        const c3 = yield* conversation("tab-3")
        yield* store.upsertLink(linkFor(c1, "tabber", 1, 42))
        yield* store.upsertLink({ ...linkFor(c2, "tabber", 1, 42), target_id: null })
        yield* store.upsertLink(linkFor(c3, "tabber", 1, 43))
        yield* store.upsertLink(linkFor(c3, "other", 1, 42))
        expect(yield* store.deactivateTabLinks(ClientId.make("tabber"), 42)).toBe(2)
        expect(Option.isNone(yield* store.activeLink(c1.local_conversation_id))).toBe(true)
        expect(Option.isNone(yield* store.activeLink(c2.local_conversation_id))).toBe(true)
        expect(Option.isSome(yield* store.activeLink(c3.local_conversation_id))).toBe(true)
        expect(yield* store.deactivateTabLinks(ClientId.make("tabber"), 42)).toBe(0)
      }))
  })

  it.effect("lists newest observed_at first with every filter and pages", () =>
    Effect.gen(function*() {
      const store = yield* ArtifactStore
      const chat = yield* conversation("L-1", "auto", "chatgpt")
      const claude = yield* conversation("L-2", "auto", "claude")
      const l1 = yield* store.upsertLink(linkFor(chat, "c-a", 100))
      const l2 = yield* store.upsertLink(linkFor(claude, "c-a", 300))
      const l3 = yield* store.upsertLink(linkFor(chat, "c-b", 200))
      const page = { limit: 20, offset: 0 }

      expect(linkIds(yield* store.listLinks(page))).toEqual([l2.link_id, l3.link_id, l1.link_id])
      expect(linkIds(yield* store.listLinks({ ...page, platform: "chatgpt" }))).toEqual([l3.link_id, l1.link_id])
      expect(linkIds(yield* store.listLinks({ ...page, client_id: ClientId.make("c-a") }))).toEqual([
        l2.link_id,
        l1.link_id
      ])
      expect(linkIds(yield* store.listLinks({ ...page, remote_conversation_id: RemoteConversationId.make("L-2") })))
        .toEqual([
          l2.link_id
        ])
      expect(linkIds(yield* store.listLinks({ ...page, local_conversation_id: chat.local_conversation_id }))).toEqual([
        l3.link_id,
        l1.link_id
      ])
      expect(linkIds(yield* store.listLinks({ ...page, is_active: false }))).toEqual([l1.link_id])
      expect(linkIds(yield* store.listLinks({ ...page, is_active: true }))).toEqual([l2.link_id, l3.link_id])
      expect(
        linkIds(
          yield* store.listLinks({ ...page, platform: "chatgpt", client_id: ClientId.make("c-a"), is_active: false })
        )
      ).toEqual([l1.link_id])
      expect(linkIds(yield* store.listLinks({ limit: 1, offset: 1 }))).toEqual([l3.link_id])
      expect(yield* store.listLinks({ limit: 5, offset: 3 })).toEqual([])
    }).pipe(Effect.provide(tempStoreLayer)))
})
