/**
 * Resolves true as soon as `ready()` holds, or false once `timeoutMs` has passed. It re-checks on
 * every change to the page rather than on a short timer chain: a tab in the background, where
 * renewals usually go, has its timer chains throttled to one wake-up a minute by Chromium, while
 * mutation callbacks still run at once. A slow poll covers state that changes without a mutation.
 */
export const waitUntil = (doc: Document, ready: () => boolean, timeoutMs: number, pollMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (ready()) return resolve(true)
    const finish = (result: boolean) => {
      observer.disconnect()
      clearTimeout(deadline)
      clearInterval(poll)
      resolve(result)
    }
    const check = () => {
      if (ready()) finish(true)
    }
    const observer = new MutationObserver(check)
    observer.observe(doc.documentElement, { subtree: true, childList: true, characterData: true, attributes: true })
    const poll = setInterval(check, pollMs)
    const deadline = setTimeout(() => finish(ready()), timeoutMs)
  })
