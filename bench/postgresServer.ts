import { execFileSync, spawnSync } from "node:child_process"
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** Where Debian's `postgresql` package puts the server binaries (newest version first). */
export const postgresBinDir = (): string | undefined => {
  const root = "/usr/lib/postgresql"
  if (!existsSync(root)) return undefined
  const versions = readdirSync(root).filter((v) => existsSync(join(root, v, "bin", "initdb")))
  versions.sort((a, b) => Number(b) - Number(a))
  return versions[0] === undefined ? undefined : join(root, versions[0], "bin")
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject()))
    })
  })

export interface RunningPostgres {
  readonly url: string
  readonly stop: () => void
}

/**
 * A throw-away PostgreSQL: `initdb` in a fresh temporary directory, started on a random
 * loopback port, with durability off unless `durable` (tests need none; the bench measures with
 * it, as a server would run). PostgreSQL refuses to run as root, so
 * a root harness runs it as the `postgres` user.
 */
export const startPostgres = async (
  bin: string,
  settings: { readonly durable?: boolean } = {}
): Promise<RunningPostgres> => {
  const dir = mkdtempSync(join(tmpdir(), "baa-conductor-pg-"))
  const data = join(dir, "data")
  const asRoot = process.getuid?.() === 0
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim())
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim())
    chownSync(dir, uid, gid)
    chmodSync(dir, 0o700)
  }
  const run = (command: string, args: ReadonlyArray<string>) => {
    const [file, argv] = asRoot
      ? ["runuser", ["-u", "postgres", "--", join(bin, command), ...args]]
      : [join(bin, command), [...args]]
    const result = spawnSync(file, argv, { encoding: "utf8" })
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr || result.stdout}`)
  }
  const port = await freePort()
  run("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"])
  const fast = settings.durable === true ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  const options = `-p ${port} -k ${dir} -h 127.0.0.1 -c max_connections=300${fast}`
  run("pg_ctl", ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"])
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])
      } finally {
        rmSync(dir, { recursive: true, force: true })
      }
    }
  }
}
