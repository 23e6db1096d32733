import { forgetToken, readToken } from "./token.js"

/** A refused call, with the envelope's `error` code (`conflict`, `not_found`…) and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

const signedOut = new Set<() => void>()
/** Called when the daemon refuses the token: the page asks for it again. */
export const onSignedOut = (listener: () => void): () => void => {
  signedOut.add(listener)
  return () => signedOut.delete(listener)
}

export const signOut = (): void => {
  forgetToken()
  for (const listener of signedOut) listener()
}

/** One call to the daemon with the token; answers the envelope's `data`. */
export const call = async <A>(method: "GET" | "POST", path: string, token = readToken()): Promise<A> => {
  const response = await fetch(path, {
    method,
    headers: { authorization: `Bearer ${token ?? ""}`, accept: "application/json" }
  })
  const body = (await response.json().catch(() => null)) as
    | { ok: true; data: A }
    | { ok: false; error: string; message: string }
    | null
  if (body !== null && body.ok) return body.data
  if (response.status === 401 && token === readToken()) signOut()
  throw new ApiError(response.status, body?.error ?? "unreadable", body?.message ?? `HTTP ${response.status}`)
}

export const get = <A>(path: string) => call<A>("GET", path)
export const post = <A>(path: string) => call<A>("POST", path)

/** `?a=1&b=2` of the given parameters, leaving out empty ones. */
export const query = (params: Record<string, string | number | undefined>): string => {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(key, String(value))
  }
  const text = search.toString()
  return text === "" ? "" : `?${text}`
}
