/**
 * The documented flags that turn pacing and the breaker off, for runs that measure or check
 * something else: the benches, and the tests that start daemons.
 */
export const PACING_OFF = [
  "--conversation-min-interval-ms",
  "0",
  "--platform-max-per-minute",
  "0",
  "--client-max-per-minute",
  "0",
  "--breaker-failures",
  "0"
] as const
