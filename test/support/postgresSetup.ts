import type { TestProject } from "vitest/node"
import { postgresBinDir, startPostgres } from "../../bench/postgresServer.js"

declare module "vitest" {
  export interface ProvidedContext {
    /** The throw-away server's URL, or "" when the PostgreSQL tests are skipped. */
    postgresUrl: string
  }
}

/**
 * vitest's global setup: one PostgreSQL server for the whole run, stopped afterwards. Without
 * Debian's `postgresql` the PostgreSQL half of the store suite is skipped, loudly, unless
 * `BAA_REQUIRE_POSTGRES=1` (CI) makes that a failure.
 */
export default async function postgresSetup(project: TestProject): Promise<() => void> {
  const bin = postgresBinDir()
  if (bin === undefined) {
    if (process.env.BAA_REQUIRE_POSTGRES === "1") {
      throw new Error("BAA_REQUIRE_POSTGRES=1 but no PostgreSQL server is installed (apt-get install -y postgresql)")
    }
    console.warn(
      "PostgreSQL store tests skipped: no /usr/lib/postgresql/*/bin/initdb. " +
        "Install it with `apt-get install -y postgresql` to run them (BAA_REQUIRE_POSTGRES=1 makes its absence a failure)."
    )
    project.provide("postgresUrl", "")
    return () => {}
  }
  const server = await startPostgres(bin)
  project.provide("postgresUrl", server.url)
  return server.stop
}
