import type { PlatformPolicy } from "../domain/index.js"
import { table, time } from "./output.js"

/** Each platform's pacing and circuit, as `status` shows them. */
export const policyTable = (policy: ReadonlyArray<PlatformPolicy>): string =>
  policy.length === 0
    ? "no platform deliveries yet"
    : table(
      ["platform", "limit/min", "used", "circuit", "failures", "next try"],
      policy.map((p) => [
        p.platform,
        p.limit_per_minute === null ? "off" : String(p.limit_per_minute),
        String(p.used_last_minute),
        p.circuit,
        String(p.consecutive_failures),
        time(p.next_try_at)
      ])
    )
