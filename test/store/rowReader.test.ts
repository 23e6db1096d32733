import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import { LocalConversation, RouteParams, TargetPayload } from "../../src/domain/index.js"
import { booleanColumn, jsonColumn, rowReader } from "../../src/layers/sql/rowReader.js"
import { LinkRow } from "../../src/layers/sql/rows.js"

const linkReader = rowReader(LinkRow, {
  route_params: jsonColumn(RouteParams),
  target_payload: jsonColumn(TargetPayload),
  is_active: booleanColumn
})
const conversationReader = rowReader(LocalConversation)

/** A link row as SQLite gives it: JSON text columns, 0 / 1 for the flag, a column the schema drops. */
const link = {
  link_id: "link_1",
  local_conversation_id: "lc_1",
  platform: "chatgpt",
  remote_conversation_id: "c-1",
  client_id: "client_1",
  page_url: "https://chatgpt.com/c/1",
  page_title: null,
  route_path: "/c/1",
  route_pattern: "/c/:id",
  route_params: JSON.stringify({ id: "1" }),
  target_kind: "browser.proxy_delivery",
  target_id: "tab:1",
  target_payload: JSON.stringify({ client_id: "client_1", tab_id: 1, extra: [1] }),
  is_active: 1,
  observed_at: 3,
  created_at: 1,
  updated_at: 2,
  surplus: "dropped"
}

const conversation = {
  local_conversation_id: "lc_1",
  platform: "chatgpt",
  remote_conversation_id: "c-1",
  automation_status: "auto",
  paused_at: null,
  last_message_id: "m-1",
  last_message_at: 5,
  created_at: 1,
  updated_at: 2
}

const same = (fast: Either.Either<unknown, { message: string }>, slow: Either.Either<unknown, { message: string }>) => {
  expect(Either.isRight(fast)).toBe(Either.isRight(slow))
  if (Either.isRight(fast) && Either.isRight(slow)) expect(JSON.stringify(fast.right)).toBe(JSON.stringify(slow.right))
  if (Either.isLeft(fast) && Either.isLeft(slow)) expect(fast.left.message).toBe(slow.left.message)
}

describe("rowReader", () => {
  it("reads link rows as the schema's decode does, keys in the same order", () => {
    const rows: ReadonlyArray<unknown> = [
      link,
      { ...link, is_active: 0, route_params: null, target_payload: null },
      { ...link, target_payload: JSON.stringify({ client_id: "client_1" }) },
      { ...link, is_active: 2 },
      { ...link, is_active: true },
      { ...link, route_params: JSON.stringify({ id: 1 }) },
      { ...link, route_params: "{broken" },
      { ...link, target_payload: JSON.stringify({ tab_id: 1 }) },
      { ...link, target_payload: 7 },
      { ...link, observed_at: "3" },
      (({ page_title: _, ...rest }) => rest)(link),
      null,
      [link]
    ]
    const decode = Schema.decodeUnknownEither(LinkRow)
    // Twice: the second time the JSON columns come from the reader's memory.
    for (const raw of [...rows, ...rows]) same(linkReader.decode(raw), decode(raw))
  })

  it("reads conversation rows as the schema's decode does", () => {
    const rows: ReadonlyArray<unknown> = [
      conversation,
      { ...conversation, automation_status: "paused", paused_at: 4 },
      { ...conversation, automation_status: "sometimes" },
      { ...conversation, created_at: -1 },
      { ...conversation, last_message_id: 5 }
    ]
    const decode = Schema.decodeUnknownEither(LocalConversation)
    for (const raw of rows) same(conversationReader.decode(raw), decode(raw))
  })

  it("reads a batch as the array schema does, failing it as a whole", () => {
    expect(Either.getOrThrow(linkReader.decodeAll([link, { ...link, link_id: "link_2" }])).map((l) => l.link_id))
      .toEqual(["link_1", "link_2"])
    const bad = [link, { ...link, is_active: 2 }]
    same(linkReader.decodeAll(bad), Schema.decodeUnknownEither(Schema.Array(LinkRow))(bad))
  })
})
