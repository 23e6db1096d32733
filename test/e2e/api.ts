import { Data, Duration, Effect } from "effect"
import type { DaemonProcess } from "../support/daemon.js"

export interface Reply {
  readonly status: number
  readonly body: any
  readonly requestId: string | null
}

/** One request to the daemon with its token (or with `token` given, `null` for none). */
export const api = (daemon: DaemonProcess, method: string, path: string, token: string | null = daemon.token) =>
  Effect.promise(async (): Promise<Reply> => {
    const response = await fetch(daemon.url + path, {
      method,
      headers: token === null ? {} : { authorization: `Bearer ${token}` }
    })
    return { status: response.status, body: await response.json(), requestId: response.headers.get("x-request-id") }
  })

export const data = (daemon: DaemonProcess, path: string) => Effect.map(api(daemon, "GET", path), (r) => r.body.data)

export class NeverTrue extends Data.TaggedError("NeverTrue")<{ readonly what: string; readonly last: string }> {
  override get message() {
    return `never saw ${this.what}; last value: ${this.last}`
  }
}

/** Asks again (at most `tries` times, 100 ms apart) until `done` holds; fails naming what it waited for. */
export const until = <A, E, R>(what: string, ask: Effect.Effect<A, E, R>, done: (a: A) => boolean, tries = 200) =>
  Effect.gen(function*() {
    let last: A | undefined
    for (let i = 0; i < tries; i++) {
      last = yield* ask
      if (done(last)) return last
      yield* Effect.sleep(Duration.millis(100))
    }
    return yield* new NeverTrue({ what, last: JSON.stringify(last) })
  })

/** The conversation's jobs, newest first. */
export const jobsOf = (daemon: DaemonProcess, local_conversation_id: string) =>
  Effect.map(
    data(daemon, `/v1/renewal/jobs?local_conversation_id=${local_conversation_id}`),
    (d) => d.jobs as Array<any>
  )
