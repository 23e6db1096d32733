/** Resolves true as soon as `ready()` holds, or false once `timeoutMs` has passed. */
export const waitUntil = (ready: () => boolean, timeoutMs: number, pollMs: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (ready()) return resolve(true)
    let waited = 0
    const poll = () => {
      if (ready()) return resolve(true)
      if (waited >= timeoutMs) return resolve(false)
      const step = Math.min(pollMs, timeoutMs - waited)
      waited += step
      setTimeout(poll, step)
    }
    poll()
  })
