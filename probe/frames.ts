/** Hostile bridge frames, drawn from a seeded generator so a failing run can be repeated. */

export interface Hostile {
  readonly kind: string
  readonly data: string | Buffer
  /** The ref an error reply must carry, when the frame's id can be read; undefined when unknowable. */
  readonly ref?: string | number | null
}

export const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

type Random = () => number

const pick = <A>(random: Random, items: ReadonlyArray<A>): A => items[Math.floor(random() * items.length)]!
const deep = (depth: number, open = "[", close = "]") => open.repeat(depth) + close.repeat(depth)
const deepObject = (depth: number) => "{\"a\":".repeat(depth) + "1" + "}".repeat(depth)

const WEIRD: ReadonlyArray<unknown> = [
  null,
  true,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  "",
  " ",
  "\u0000",
  "\ud800",
  "x".repeat(5000),
  [],
  {},
  [null],
  { a: [] }
]

const FIELDS = [
  "platform",
  "conversation_id",
  "message_id",
  "role",
  "text",
  "tab_id",
  "observed_at",
  "page_url",
  "client_id",
  "platforms",
  "request_id",
  "accepted",
  "failed",
  "reason"
]
const TYPES = [
  "hello",
  "browser.final_message",
  "browser.tab_closed",
  "ping",
  "action_result",
  "browser.proxy_delivery",
  "",
  "PING",
  "hello_ack"
]

const finalMessage = (id: string) => ({
  type: "browser.final_message",
  id,
  platform: "chatgpt",
  conversation_id: "conv_probe",
  message_id: `m_${id}`,
  role: "assistant",
  text: "probe",
  tab_id: 1
})

/** The `n`th hostile frame. */
export const hostile = (random: Random, n: number): Hostile => {
  const id = `h-${n}`
  switch (Math.floor(random() * 12)) {
    case 0:
      return {
        kind: "deep-array",
        data: `{"type":"ping","id":"${id}","x":${deep(1000 + Math.floor(random() * 99_000))}}`,
        ref: id
      }
    case 1:
      return {
        kind: "deep-object",
        data: `{"id":"${id}","type":"hello","client_id":${deepObject(50 + Math.floor(random() * 50_000))}}`,
        ref: id
      }
    case 2:
      return {
        kind: "not-json",
        data: `{"id":"${id}","type":"ping",` + pick(random, ["", "}", "{", "[", "\"", "\\", "nul"]),
        ref: id
      }
    case 3:
      return { kind: "top-level", data: JSON.stringify(pick(random, WEIRD)) ?? "undefined", ref: null }
    case 4:
      return { kind: "unknown-type", data: JSON.stringify({ type: pick(random, [...TYPES, ...WEIRD]), id }) }
    case 5: {
      const frame: Record<string, unknown> = finalMessage(id)
      frame[pick(random, FIELDS)] = pick(random, WEIRD)
      return { kind: "bad-field", data: JSON.stringify(frame), ref: id }
    }
    case 6: {
      const frame = { type: "ping", id: pick(random, [id, n, -n, 1e300, 0.5]) }
      return { kind: "id-shapes", data: JSON.stringify(frame), ref: JSON.parse(JSON.stringify(frame.id)) }
    }
    case 7:
      return {
        kind: "binary",
        data: Buffer.from(Array.from({ length: 1 + Math.floor(random() * 512) }, () => Math.floor(random() * 256)))
      }
    case 8:
      return {
        kind: "proto-keys",
        data: `{"__proto__":{"type":"hello"},"constructor":{"prototype":1},"type":"ping","id":"${id}"}`,
        ref: id
      }
    case 9:
      // Refused after the whole text is read (tab 0): memory must come back. Stored texts would
      // fill the store's page cache instead, which is sized on purpose.
      return {
        kind: "big-text",
        data: JSON.stringify({ ...finalMessage(id), tab_id: 0, text: "t".repeat(Math.floor(random() * 900_000)) }),
        ref: id
      }
    case 10:
      return { kind: "other-client", data: JSON.stringify({ type: "hello", id, client_id: `other-${n}` }), ref: id }
    default:
      return {
        kind: "action-result",
        data: JSON.stringify({
          type: "action_result",
          id,
          request_id: pick(random, [`req_${n}`, 7, null]),
          accepted: pick(random, [true, "yes", null])
        })
      }
  }
}
