/**
 * The daemon's WebSocket frames as the extension sees them (`docs/bridge-protocol.md`). Frames
 * from the daemon are checked field by field: a malformed one is reported, never thrown.
 */
import type { Platform } from "../shared/messages.js"

export const PLATFORMS: ReadonlyArray<Platform> = ["chatgpt", "claude", "gemini"]

// ---- client → daemon ----

export interface HelloFrame {
  readonly type: "hello"
  readonly client_id: string
  readonly platforms: ReadonlyArray<Platform>
  readonly version: string
}

export interface FinalMessageFrame {
  readonly type: "browser.final_message"
  readonly id: string
  readonly platform: Platform
  readonly conversation_id: string
  readonly message_id: string
  readonly role: "assistant"
  readonly text: string
  readonly observed_at: number
  readonly page_url: string
  readonly page_title: string
  readonly tab_id: number
}

export interface TabClosedFrame {
  readonly type: "browser.tab_closed"
  readonly id: string
  readonly tab_id: number
}

/** Frames the daemon answers with an `ack`: they wait in the outbox until it comes. */
export type AckedFrame = FinalMessageFrame | TabClosedFrame

export interface ActionResultFrame {
  readonly type: "action_result"
  readonly request_id: string
  readonly accepted: boolean
  readonly completed: boolean
  readonly failed: boolean
  readonly reason: string | null
  readonly duplicate: boolean
  readonly received_at: number
}

export type ClientFrame = HelloFrame | AckedFrame | ActionResultFrame | { readonly type: "ping" }

// ---- daemon → client ----

export interface ProxyDeliveryFrame {
  readonly type: "browser.proxy_delivery"
  readonly request_id: string
  readonly plan_id: string
  readonly platform: Platform
  readonly conversation_id: string | null
  readonly tab_id: number
  readonly message_text: string
  readonly timeout_ms: number
}

export type DaemonFrame =
  | { readonly type: "hello_ack"; readonly connection_id: string }
  | { readonly type: "ack"; readonly ref: string | number | null }
  | { readonly type: "pong" }
  | { readonly type: "error"; readonly ref: string | number | null; readonly error: string; readonly message: string }
  | ProxyDeliveryFrame

export type Parsed = { readonly ok: true; readonly frame: DaemonFrame } | {
  readonly ok: false
  readonly problem: string
}

type Fields = Record<string, unknown>

const isString = (v: unknown): v is string => typeof v === "string"
const isRef = (v: unknown): v is string | number | null => v === null || isString(v) || typeof v === "number"
const isPositiveInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0
const isPlatform = (v: unknown): v is Platform => PLATFORMS.includes(v as Platform)

const bad = (problem: string): Parsed => ({ ok: false, problem })

/** The field that does not fit, or null when the object has the shape `checks` describes. */
const firstBadField = (fields: Fields, checks: Record<string, (v: unknown) => boolean>): string | null =>
  Object.entries(checks).find(([name, check]) => !check(fields[name]))?.[0] ?? null

const daemonChecks: Record<string, Record<string, (v: unknown) => boolean>> = {
  hello_ack: { connection_id: isString },
  ack: { ref: (v) => v === undefined || isRef(v) },
  pong: {},
  error: { ref: (v) => v === undefined || isRef(v), error: isString, message: (v) => v === undefined || isString(v) },
  "browser.proxy_delivery": {
    request_id: isString,
    plan_id: isString,
    platform: isPlatform,
    conversation_id: (v) => v === null || v === undefined || isString(v),
    tab_id: isPositiveInt,
    message_text: isString,
    timeout_ms: isPositiveInt
  }
}

/** Parses one text frame from the daemon. */
export const parseDaemonFrame = (data: unknown): Parsed => {
  if (!isString(data)) return bad("not a text frame")
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return bad("not JSON")
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return bad("not an object")
  const fields = value as Fields
  const type = fields["type"]
  const checks = isString(type) ? daemonChecks[type] : undefined
  if (checks === undefined) return bad(`unknown type ${JSON.stringify(type)}`)
  const field = firstBadField(fields, checks)
  if (field !== null) return bad(`${type}: bad field ${field}`)
  const normalized = type === "ack" || type === "error" ? { ...fields, ref: fields["ref"] ?? null } : fields
  return { ok: true, frame: normalized as unknown as DaemonFrame }
}
