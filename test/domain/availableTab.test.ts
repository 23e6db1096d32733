import { describe, expect, it } from "@effect/vitest"
import { Option } from "effect"
import { availableTab, type ConversationLink } from "../../src/domain/index.js"

type Target = Pick<ConversationLink, "target_kind" | "target_id" | "target_payload">

const target = (overrides: Partial<Target> = {}): Target => ({
  target_kind: "browser.proxy_delivery",
  target_id: "tab:7",
  target_payload: { client_id: "firefox", conversation_id: null, page_url: null, tab_id: 7 },
  ...overrides
})
const payload = (fields: Record<string, unknown>) => ({
  client_id: "firefox",
  conversation_id: null,
  page_url: null,
  ...fields
})

describe("availableTab", () => {
  it.each(
    [
      ["the payload's tab", target(), Option.some(7)],
      ["the payload's tab over the target id", target({ target_id: "tab:3" }), Option.some(7)],
      ["the target id when the payload has no tab", target({ target_payload: payload({}) }), Option.some(7)],
      ["the target id when there is no payload", target({ target_payload: null }), Option.some(7)],
      [
        "the target id when the payload's tab is 0",
        target({ target_payload: payload({ tab_id: 0 }), target_id: "tab:4" }),
        Option.some(4)
      ],
      [
        "the target id when the payload's tab is a string",
        target({ target_payload: payload({ tab_id: "9" }), target_id: "tab:4" }),
        Option.some(4)
      ],
      [
        "the target id when the payload's tab is fractional",
        target({ target_payload: payload({ tab_id: 1.5 }), target_id: "tab:4" }),
        Option.some(4)
      ],
      ["none for another target kind", target({ target_kind: "browser.page" }), Option.none()],
      ["none for a shell page", target({ target_payload: payload({ tab_id: 7, shell_page: true }) }), Option.none()],
      [
        "a tab when shell_page is false",
        target({ target_payload: payload({ tab_id: 7, shell_page: false }) }),
        Option.some(7)
      ],
      ["none without any tab", target({ target_payload: payload({}), target_id: null }), Option.none()],
      ["none for tab:0", target({ target_payload: null, target_id: "tab:0" }), Option.none()],
      [
        "none for a target id that is not a tab",
        target({ target_payload: null, target_id: "window:3" }),
        Option.none()
      ],
      [
        "none for a negative payload tab and no target id",
        target({ target_payload: payload({ tab_id: -2 }), target_id: null }),
        Option.none()
      ]
    ] as const
  )("%s", (_, link, expected) => {
    expect(availableTab(link)).toEqual(expected)
  })
})
