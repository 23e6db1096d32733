import { useCallback, useEffect, useRef, useState } from "preact/hooks"
import { currentStatus, type LiveStatus, onStatus, RESYNC, subscribe } from "./live.js"
import type { LiveEvent } from "./types.js"

export interface Resource<A> {
  readonly data: A | undefined
  readonly error: Error | undefined
  readonly reload: () => void
}

/** Events arriving together (a tick finishing ten jobs) cause one reload, this long after the first. */
const COALESCE_MS = 150

/**
 * Loads `load()` now, again when `key` changes, and again (coalesced) after each live event
 * that `relevant` accepts and after every resync. The last answer stays shown while reloading,
 * and an answer overtaken by a newer request is dropped.
 */
export const useResource = <A>(
  key: string,
  load: () => Promise<A>,
  relevant: (event: LiveEvent) => boolean
): Resource<A> => {
  const [data, setData] = useState<A | undefined>(undefined)
  const [error, setError] = useState<Error | undefined>(undefined)
  const latest = useRef(0)
  const loader = useRef(load)
  const filter = useRef(relevant)
  loader.current = load
  filter.current = relevant

  const reload = useCallback(() => {
    const request = ++latest.current
    loader.current().then(
      (value) => {
        if (request !== latest.current) return
        setData(value)
        setError(undefined)
      },
      (failure: unknown) => {
        if (request === latest.current) setError(failure instanceof Error ? failure : new Error(String(failure)))
      }
    )
  }, [])

  useEffect(() => {
    setData(undefined)
    reload()
    let timer: number | undefined
    const unsubscribe = subscribe((event) => {
      if (timer !== undefined || (event.type !== RESYNC && !filter.current(event))) return
      timer = window.setTimeout(() => {
        timer = undefined
        reload()
      }, COALESCE_MS)
    })
    return () => {
      unsubscribe()
      window.clearTimeout(timer)
    }
  }, [key])

  return { data, error, reload }
}

/** Reacts to every live event (the sparkline's counters). */
export const useLiveEvents = (listener: (event: LiveEvent) => void): void => {
  const current = useRef(listener)
  current.current = listener
  useEffect(() => subscribe((event) => current.current(event)), [])
}

export const useLiveStatus = (): LiveStatus => {
  const [status, setStatus] = useState(currentStatus())
  useEffect(() => onStatus(setStatus), [])
  return status
}

/** The part of `location.hash` after `#`, kept in step with navigation. */
export const useHashRoute = (): string => {
  const read = () => location.hash.replace(/^#/, "") || "/"
  const [route, setRoute] = useState(read())
  useEffect(() => {
    const changed = () => setRoute(read())
    window.addEventListener("hashchange", changed)
    return () => window.removeEventListener("hashchange", changed)
  }, [])
  return route
}
