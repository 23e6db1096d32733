import type { Option } from "effect"

/**
 * Every flag of `baa-conductor start`, with what `--help` says about it. Each has an environment
 * variable `BAA_<FLAG>` (upper snake case); the flag wins over the variable.
 */
export const FLAGS = {
  host: { default: "127.0.0.1", describe: "listen address (default 127.0.0.1); other than loopback needs --token" },
  port: { default: "4317", describe: "listen port (default 4317); 0 picks a free one" },
  "state-dir": { default: "./.baa-conductor", describe: "where the database, token and logs live (default ./.baa-conductor)" },
  "database-url": { default: "sqlite:<state-dir>/conductor.db", describe: "the store: sqlite:<path> or a plain file path" },
  token: { default: "<state-dir>/token", describe: "shared bearer token (default: read or created in <state-dir>/token)" },
  "node-id": { default: "<host name>", describe: "this node's id (default: the host name)" },
  role: { default: "primary", describe: "primary or standby (standby keeps the runners idle)" },
  "interval-ms": { default: "5000", describe: "timed-jobs tick interval in ms (default 5000)" },
  "max-messages-per-tick": { default: "10", describe: "projector batch (default 10)" },
  "max-tasks-per-tick": { default: "10", describe: "dispatcher batch (default 10)" },
  "settle-delay-ms": { default: "0", describe: "a message is settled this long after observed_at (default 0)" },
  "default-automation-status": { default: "manual", describe: "status of a newly seen conversation: manual, auto or paused" },
  "max-attempts": { default: "3", describe: "attempts for new jobs (default 3)" },
  "retry-base-delay-ms": { default: "30000", describe: "first retry delay in ms (default 30000)" },
  "retry-max-delay-ms": { default: "300000", describe: "longest retry delay in ms (default 300000)" },
  "recheck-delay-ms": { default: "max(10000, interval-ms)", describe: "deferral delay for paused/manual jobs in ms" },
  "execution-timeout-ms": { default: "20000", describe: "one delivery's timeout in ms (default 20000)" },
  template: { default: "summary_with_link", describe: "renewal text template (default summary_with_link)" },
  "log-level": { default: "info", describe: "all, trace, debug, info, warning, error, fatal or none (default info)" }
} as const

export type Flag = keyof typeof FLAGS

export const FLAG_NAMES = Object.keys(FLAGS) as ReadonlyArray<Flag>

/** `state-dir` → `BAA_STATE_DIR`. */
export const envName = (flag: Flag): string => `BAA_${flag.toUpperCase().replace(/-/g, "_")}`

/** The values given on the command line, unparsed; validation happens in `DaemonConfig.resolve`. */
export type RawFlags = { readonly [K in Flag]: Option.Option<string> }
