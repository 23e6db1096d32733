import { Effect, type Scope } from "effect"
import Pg from "pg"
import { type DaemonFailed, type DaemonProcess, spawnDaemon } from "../support/daemon.js"
import { schemaUrl, type StoreBackend } from "../support/storeBackends.js"
import { makeTempDir } from "../support/tempStore.js"

export { PACING_OFF } from "../../bench/pacingOff.js"

export interface ClusterNode {
  readonly nodeId: string
  readonly daemon: DaemonProcess
}

export interface Cluster {
  /** The schema-scoped URL every daemon uses. */
  readonly database: string
  readonly token: string
  readonly nodes: ReadonlyArray<ClusterNode>
  /** The nodes not killed by `kill`. */
  readonly live: () => ReadonlyArray<ClusterNode>
  /** Marks the node dead (clients stop picking it), sends the signal and waits for the exit. */
  readonly kill: (node: ClusterNode, signal?: NodeJS.Signals) => Effect.Effect<number | null, DaemonFailed>
}

/**
 * `count` daemons (`node-1` … `node-N`) on one fresh schema of the harness's PostgreSQL server,
 * sharing one token, started one after the other: three first starts at once on an empty schema
 * once ended one of them with an SqlError. Stopped and the schema dropped when the scope closes.
 */
export const spawnCluster = (
  postgres: StoreBackend,
  options: { readonly count: number; readonly args: ReadonlyArray<string> }
): Effect.Effect<Cluster, DaemonFailed, Scope.Scope> =>
  Effect.gen(function*() {
    const database = schemaUrl(postgres.url!, yield* postgres.makeLocation)
    const token = "multi-node-token"
    const ids = Array.from({ length: options.count }, (_, i) => `node-${i + 1}`)
    const nodes = yield* Effect.forEach(ids, (nodeId) =>
      Effect.gen(function*() {
        const daemon = yield* spawnDaemon({
          stateDir: yield* makeTempDir,
          args: ["--database-url", database, "--node-id", nodeId, "--token", token, ...options.args]
        })
        return { nodeId, daemon } satisfies ClusterNode
      }), { concurrency: 1 })
    const dead = new Set<string>()
    return {
      database,
      token,
      nodes,
      live: () => nodes.filter((n) => !dead.has(n.nodeId)),
      kill: (node, signal = "SIGKILL") => Effect.suspend(() => (dead.add(node.nodeId), node.daemon.stop(signal)))
    }
  })

/** One query on the shared database, on a connection of its own. */
export const query = <Row = Record<string, any>>(
  database: string,
  statement: string,
  params: ReadonlyArray<unknown> = []
) =>
  Effect.promise(async () => {
    const client = new Pg.Client({ connectionString: database })
    await client.connect()
    try {
      return (await client.query(statement, [...params])).rows as Array<Row>
    } finally {
      await client.end()
    }
  })
