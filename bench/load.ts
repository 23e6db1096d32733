import { Effect } from "effect"
import { Agent, request } from "node:http"

export interface LoadResult {
  readonly requests: number
  readonly seconds: number
  /** Latencies in milliseconds, sorted. */
  readonly latencies: ReadonlyArray<number>
}

/** One GET over a kept-alive connection; resolves with the status and body. */
export const get = (agent: Agent, url: string, headers: Record<string, string>) =>
  new Promise<{ readonly status: number; readonly body: string; readonly contentType: string }>((resolve, reject) => {
    const req = request(url, { agent, headers }, (res) => {
      const chunks: Array<Buffer> = []
      res.on("data", (chunk: Buffer) => chunks.push(chunk))
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString("utf8"),
          contentType: String(res.headers["content-type"])
        }))
      res.on("error", reject)
    })
    req.on("error", reject)
    req.end()
  })

/**
 * A small closed-loop load generator: `connections` kept-alive sockets, each sending the next
 * request as soon as the previous answer arrived, for `seconds`. Any non-200 answer fails it.
 */
export const load = (url: string, headers: Record<string, string>, connections: number, seconds: number) =>
  Effect.promise(async (): Promise<LoadResult> => {
    const agent = new Agent({ keepAlive: true, maxSockets: connections })
    const latencies: Array<number> = []
    const start = performance.now()
    const until = start + seconds * 1000
    const worker = async () => {
      while (performance.now() < until) {
        const sent = performance.now()
        const { status } = await get(agent, url, headers)
        if (status !== 200) throw new Error(`${url} answered ${status}`)
        latencies.push(performance.now() - sent)
      }
    }
    await Promise.all(Array.from({ length: connections }, worker))
    agent.destroy()
    return {
      requests: latencies.length,
      seconds: (performance.now() - start) / 1000,
      latencies: latencies.sort((a, b) => a - b)
    }
  })

/** Several runs as one: requests and time add up, latencies are pooled. */
export const combine = (runs: ReadonlyArray<LoadResult>): LoadResult => ({
  requests: runs.reduce((n, r) => n + r.requests, 0),
  seconds: runs.reduce((n, r) => n + r.seconds, 0),
  latencies: runs.flatMap((r) => r.latencies).sort((a, b) => a - b)
})

export const rps = (r: LoadResult) => r.requests / r.seconds
export const percentile = (r: LoadResult, p: number) =>
  r.latencies[Math.min(r.latencies.length - 1, Math.floor(r.latencies.length * p))] ?? Number.NaN
