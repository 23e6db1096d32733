import { useEffect, useState } from "preact/hooks"

/** The one line at the top of the page saying what an action was refused for. */
const listeners = new Set<(text: string | null) => void>()
let current: string | null = null

export const notify = (text: string | null): void => {
  current = text
  for (const listener of listeners) listener(text)
}

export const useNotice = (): string | null => {
  const [text, setText] = useState(current)
  useEffect(() => {
    listeners.add(setText)
    return () => {
      listeners.delete(setText)
    }
  }, [])
  return text
}
