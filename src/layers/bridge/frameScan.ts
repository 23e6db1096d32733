import type { FrameRef } from "../../domain/frames.js"

/** How deep a frame may nest; real frames nest two levels. Deeper text is refused unparsed. */
export const MAX_FRAME_DEPTH = 32

export interface FrameScan {
  /** The deepest nesting of objects and arrays in the text. */
  readonly depth: number
  /** The top-level `"id"` when it is a string or a number, else null. */
  readonly ref: FrameRef
}

const QUOTE = 34
const BACKSLASH = 92
const COLON = 58
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/

/** Index just past the string literal that opens at `start`, or the text's end when unterminated. */
const skipString = (text: string, start: number): number => {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === BACKSLASH) i++
    else if (c === QUOTE) return i + 1
  }
  return text.length
}

const skipSpace = (text: string, from: number): number => {
  let i = from
  while (i < text.length && /\s/.test(text[i]!)) i++
  return i
}

const literal = (slice: string): string | null => {
  try {
    return JSON.parse(slice) as string
  } catch {
    return null
  }
}

/** The string or number that starts at `from`, when it is one. */
const scalarAt = (text: string, from: number): FrameRef => {
  if (text.charCodeAt(from) === QUOTE) return literal(text.slice(from, skipString(text, from)))
  const number = NUMBER.exec(text.slice(from, from + 64))
  return number === null ? null : Number(number[0])
}

/**
 * One pass over the text without parsing it: how deep it nests and its top-level `id`. It runs
 * before `JSON.parse`, so a frame too deep to decode safely is refused cheaply, and even a frame
 * that is not valid JSON gets an error naming its id. Linear in the text, bounded by the 1 MiB
 * frame limit.
 */
export const scanFrame = (text: string): FrameScan => {
  let depth = 0
  let deepest = 0
  let ref: FrameRef = null
  const isObject = text.charCodeAt(skipSpace(text, 0)) === 123
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === "{" || c === "[") deepest = Math.max(deepest, ++depth)
    else if (c === "}" || c === "]") depth--
    else if (c === "\"") {
      const end = skipString(text, i)
      if (isObject && depth === 1) {
        const after = skipSpace(text, end)
        if (text.charCodeAt(after) === COLON && literal(text.slice(i, end)) === "id") {
          ref = scalarAt(text, skipSpace(text, after + 1))
        }
      }
      i = end - 1
    }
  }
  return { depth: deepest, ref }
}
