import { Logger } from "effect"

/**
 * Test layers keep the daemon's log lines off the console (a passing suite prints nothing);
 * a test that asserts on logs installs its own logger, which this leaves alone.
 */
export const QuietLogs = Logger.replace(Logger.defaultLogger, Logger.none)
