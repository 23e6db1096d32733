import { describe, expect, it } from "vitest"
import { backoffDelay, DEFAULT_BACKOFF } from "../../../extension/src/background/backoff.js"

describe("backoffDelay", () => {
  it("doubles from the base and stays within [ceiling / 2, ceiling]", () => {
    const policy = { baseMs: 500, maxMs: 15_000 }
    for (const [attempt, ceiling] of [[0, 500], [1, 1000], [2, 2000], [3, 4000], [4, 8000]] as const) {
      expect(backoffDelay(attempt, 0, policy)).toBe(ceiling / 2)
      expect(backoffDelay(attempt, 0.999999, policy)).toBe(ceiling)
      const middle = backoffDelay(attempt, 0.5, policy)
      expect(middle).toBeGreaterThan(ceiling / 2)
      expect(middle).toBeLessThan(ceiling)
    }
  })

  it("is capped however many attempts failed", () => {
    for (const attempt of [5, 10, 50, 1000]) {
      expect(backoffDelay(attempt, 0.999999)).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs)
      expect(backoffDelay(attempt, 0)).toBeGreaterThanOrEqual(DEFAULT_BACKOFF.maxMs / 2)
    }
  })

  it("spreads clients apart: different random draws give different delays", () => {
    const delays = new Set([0, 0.25, 0.5, 0.75].map((r) => backoffDelay(3, r)))
    expect(delays.size).toBe(4)
  })
})
