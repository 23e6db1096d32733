import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { resolveTemplate, summarize, UnknownTemplate } from "../../src/domain/templates.js"

describe("templates", () => {
  it("collapses whitespace and trims", () => {
    expect(summarize("  a\n\n b\t\tc  ")).toBe("a b c")
  })

  it("keeps 200 characters whole and cuts longer text to 199 and an ellipsis", () => {
    const exact = "x".repeat(200)
    expect(summarize(exact)).toBe(exact)
    const cut = summarize("y".repeat(201))
    expect(cut).toBe("y".repeat(199) + "…")
    expect(Array.from(cut)).toHaveLength(200)
  })

  it("counts characters as code points, never splitting one", () => {
    const cut = summarize("😀".repeat(250))
    expect(Array.from(cut)).toHaveLength(200)
    expect(cut).toBe("😀".repeat(199) + "…")
  })

  it.effect("summary_with_link puts the page on its own line, and drops it when unknown", () =>
    Effect.gen(function*() {
      const template = yield* resolveTemplate("summary_with_link")
      expect(template({ text: "hi  there", page_url: "https://chatgpt.com/c/x" })).toBe(
        "[renewal] hi there\nhttps://chatgpt.com/c/x"
      )
      expect(template({ text: "hi", page_url: null })).toBe("[renewal] hi")
    }))

  it.effect("an unknown name is a typed configuration error", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(resolveTemplate("nope"))
      expect(error).toBeInstanceOf(UnknownTemplate)
      expect(error.message).toContain("\"nope\"")
    }))
})
