import { describe, expect, it } from "vitest"
import { type BatchRule, firstBatch, nextBatch, restAfter } from "../../src/programs/retention/batching.js"

const rule: BatchRule = { max: 100, budgetMs: 1, share: 0.25 }

describe("retention batching", () => {
  it("starts small and grows at most twofold while batches fit the budget, up to the maximum", () => {
    expect(firstBatch(rule)).toBe(10)
    expect(firstBatch({ ...rule, max: 2 })).toBe(2)
    expect(nextBatch(rule, 10, 0.1)).toBe(20)
    expect(nextBatch(rule, 80, 0.5)).toBe(100)
    // Time that did not move (TestClock) measures nothing: the size grows to the maximum.
    expect(nextBatch(rule, 64, 0)).toBe(100)
  })

  it("shrinks a batch that overran the budget to what the last one says fits, never below one", () => {
    expect(nextBatch(rule, 100, 4)).toBe(25)
    expect(nextBatch(rule, 40, 1.25)).toBe(32)
    expect(nextBatch(rule, 3, 400)).toBe(1)
  })

  it("rests so that pruning takes at most its share of the thread", () => {
    expect(restAfter(rule, 1)).toBe(3)
    expect(restAfter(rule, 0)).toBe(0)
    expect(restAfter({ ...rule, share: 0.5 }, 2)).toBe(2)
  })
})
