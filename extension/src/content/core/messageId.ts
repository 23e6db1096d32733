import type { SiteAdapter } from "./adapter.js"

/** cyrb53: a fast 53-bit string hash, plenty to keep one conversation's positions apart. */
const hash53 = (input: string): string => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i)
    h1 = Math.imul(h1 ^ c, 2654435761)
    h2 = Math.imul(h2 ^ c, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36)
}

/**
 * The platform's own id where the page has one; otherwise a hash of the conversation and the
 * reply's position among the assistant replies, so the same reply gets the same id on every scan
 * and after a reload, and the daemon can dedupe by it.
 */
export const messageIdFor = (
  adapter: SiteAdapter,
  message: Element,
  conversationId: string,
  position: number
): string =>
  adapter.messageId(message) ??
    `${adapter.platform}-h${hash53(`${adapter.platform}\u0000${conversationId}\u0000${position}`)}`
