// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from "vitest"
import { reportedIds } from "../../../extension/src/content/core/reportedIds.js"

beforeEach(() => sessionStorage.clear())

describe("reported ids", () => {
  it("are kept per conversation and survive a new script on the same tab", () => {
    reportedIds(sessionStorage).add("conv-a", "msg-1")
    const afterReload = reportedIds(sessionStorage)
    expect(afterReload.has("conv-a", "msg-1")).toBe(true)
    expect(afterReload.has("conv-b", "msg-1")).toBe(false)
  })

  it("keep the newest few hundred per conversation", () => {
    const ids = reportedIds(sessionStorage)
    for (let i = 0; i < 400; i++) ids.add("conv-a", `msg-${i}`)
    const stored = JSON.parse(sessionStorage.getItem("baa-conductor:reported:conv-a")!) as Array<string>
    expect(stored).toHaveLength(300)
    expect(reportedIds(sessionStorage).has("conv-a", "msg-399")).toBe(true)
    expect(reportedIds(sessionStorage).has("conv-a", "msg-0")).toBe(false)
  })

  it("still work in memory when storage is missing, full or holds something else", () => {
    sessionStorage.setItem("baa-conductor:reported:conv-a", "{not json")
    const full = {
      getItem: (key: string) => sessionStorage.getItem(key),
      setItem: () => {
        throw new Error("QuotaExceededError")
      }
    } as unknown as Storage
    for (const storage of [null, full, sessionStorage]) {
      const ids = reportedIds(storage)
      expect(ids.has("conv-a", "msg-1")).toBe(false)
      ids.add("conv-a", "msg-1")
      expect(ids.has("conv-a", "msg-1")).toBe(true)
    }
  })
})
