/**
 * Plan ids this profile has delivered, so a retried `browser.proxy_delivery` of the same plan
 * (e.g. when the first `action_result` was lost with the socket) is not typed twice.
 */
import { BoundedList } from "./boundedList.js"
import type { KeyValueArea, Logger } from "./ports.js"

export const DELIVERED_PLANS_KEY = "delivered_plans"
export const DELIVERED_PLANS_MAX = 1000

export class DeliveredPlans {
  private readonly list: BoundedList<string>

  constructor(area: KeyValueArea, log: Logger, max: number = DELIVERED_PLANS_MAX) {
    this.list = new BoundedList(area, DELIVERED_PLANS_KEY, max, log, "delivered plan list", false)
  }

  load(): Promise<void> {
    return this.list.load()
  }

  has(planId: string): boolean {
    return this.list.find((id) => id === planId) !== undefined
  }

  remember(planId: string): Promise<void> {
    return this.has(planId) ? Promise.resolve() : this.list.push(planId)
  }
}
