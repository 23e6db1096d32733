import { Effect } from "effect"
import { BaseUrl, TOKEN } from "./harness.js"

export interface Reply {
  readonly status: number
  readonly headers: Headers
  readonly body: any
  readonly text: string
}

export interface Options {
  readonly method?: string
  /** `null` sends no Authorization header; a string sends that token. */
  readonly token?: string | null
  readonly headers?: Record<string, string>
  readonly body?: string
}

/** One real HTTP request against the server under test, body parsed when it is JSON. */
export const call = (path: string, options: Options = {}) =>
  Effect.gen(function*() {
    const base = yield* BaseUrl
    const token = options.token === undefined ? TOKEN : options.token
    const response = yield* Effect.promise(() =>
      fetch(base + path, {
        method: options.method ?? "GET",
        headers: { ...(token === null ? {} : { authorization: `Bearer ${token}` }), ...options.headers },
        ...(options.body === undefined ? {} : { body: options.body })
      })
    )
    const text = yield* Effect.promise(() => response.text())
    let body: any = undefined
    try {
      body = JSON.parse(text)
    } catch {
      body = undefined
    }
    const reply: Reply = { status: response.status, headers: response.headers, body, text }
    return reply
  })

export const get = (path: string, options: Omit<Options, "method"> = {}) => call(path, options)
export const post = (path: string, options: Omit<Options, "method"> = {}) => call(path, { ...options, method: "POST" })
