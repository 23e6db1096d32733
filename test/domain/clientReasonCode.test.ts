import { describe, expect, it } from "@effect/vitest"
import { clientReasonCode, DeliveryRejected } from "../../src/domain/index.js"

describe("clientReasonCode", () => {
  it.each([
    ["tab_not_found", "tab_not_found"],
    ["composer_busy2", "composer_busy2"],
    ["a", "a"],
    [`a${"b".repeat(63)}`, `a${"b".repeat(63)}`],
    [`a${"b".repeat(64)}`, "client_error"],
    ["Not Snake Case!", "client_error"],
    ["Tab_not_found", "client_error"],
    ["2fast", "client_error"],
    ["_leading", "client_error"],
    ["tab-not-found", "client_error"],
    ["tab not found", "client_error"],
    ["", "client_error"]
  ])("%j is stored as %j", (reason, code) => {
    expect(clientReasonCode(reason)).toBe(code)
  })

  it("a rejection keeps the client's text and carries its code", () => {
    const rejected = new DeliveryRejected({ request_id: "req_1", reason: "Tab closed." })
    expect({ reason: rejected.reason, code: rejected.code }).toEqual({ reason: "Tab closed.", code: "client_error" })
  })
})
