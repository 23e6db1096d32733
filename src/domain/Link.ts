import { Option, Schema } from "effect"
import { ClientId, LinkId, LocalConversationId, Millis, Platform, RemoteConversationId } from "./ids.js"

/** The only target kind the dispatcher can deliver to. */
export const PROXY_DELIVERY = "browser.proxy_delivery"

export const RouteParams = Schema.Record({ key: Schema.String, value: Schema.String })
export type RouteParams = typeof RouteParams.Type

/** Where a delivery goes: one client's tab. Unknown extra keys are kept. */
export const TargetPayload = Schema.Struct(
  {
    client_id: Schema.String,
    conversation_id: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
    page_url: Schema.optionalWith(Schema.NullOr(Schema.String), { default: () => null }),
    tab_id: Schema.optional(Schema.Unknown),
    organization_id: Schema.optional(Schema.NullOr(Schema.String)),
    shell_page: Schema.optional(Schema.Boolean)
  },
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
)
export type TargetPayload = typeof TargetPayload.Type

/** How to reach a conversation again: which client, which tab, which page. */
export const ConversationLink = Schema.Struct({
  link_id: LinkId,
  local_conversation_id: LocalConversationId,
  platform: Platform,
  remote_conversation_id: RemoteConversationId,
  client_id: ClientId,
  page_url: Schema.NullOr(Schema.String),
  page_title: Schema.NullOr(Schema.String),
  route_path: Schema.NullOr(Schema.String),
  route_pattern: Schema.NullOr(Schema.String),
  route_params: Schema.NullOr(RouteParams),
  target_kind: Schema.String,
  target_id: Schema.NullOr(Schema.String),
  target_payload: Schema.NullOr(TargetPayload),
  is_active: Schema.Boolean,
  observed_at: Millis,
  created_at: Millis,
  updated_at: Millis
})
export type ConversationLink = typeof ConversationLink.Type

/** A link as observed; the store stamps `created_at`/`updated_at` and makes it the active one. */
export const LinkInput = ConversationLink.pipe(Schema.omit("is_active", "created_at", "updated_at"))
export type LinkInput = typeof LinkInput.Type

const positiveInt = (u: unknown): Option.Option<number> =>
  typeof u === "number" && Number.isInteger(u) && u > 0 ? Option.some(u) : Option.none()

const tabFromTargetId = (targetId: string | null): Option.Option<number> => {
  const match = targetId === null ? null : /^tab:(\d+)$/.exec(targetId)
  return match === null ? Option.none() : positiveInt(Number(match[1]))
}

/**
 * The tab a link can deliver to: a `browser.proxy_delivery` target naming a positive
 * integer tab that is not a shell page. None means the link has no available route.
 */
export const availableTab = (
  link: Pick<ConversationLink, "target_kind" | "target_id" | "target_payload">
): Option.Option<number> => {
  if (link.target_kind !== PROXY_DELIVERY) return Option.none()
  if (link.target_payload?.shell_page === true) return Option.none()
  return positiveInt(link.target_payload?.tab_id).pipe(Option.orElse(() => tabFromTargetId(link.target_id)))
}

const ROUTE_PATTERNS: ReadonlyArray<readonly [platform: string, prefix: string]> = [
  ["chatgpt", "/c/"],
  ["claude", "/chat/"],
  ["gemini", "/app/"]
]

export interface Route {
  readonly path: string | null
  readonly pattern: string | null
  readonly params: RouteParams | null
}

/** The page route of a tab: the platform's conversation route when it matches, else the bare path. */
export const routeOf = (platform: string, pageUrl: string | null): Route => {
  if (pageUrl === null) return { path: null, pattern: null, params: null }
  let path: string
  try {
    path = new URL(pageUrl).pathname
  } catch {
    return { path: null, pattern: null, params: null }
  }
  for (const [name, prefix] of ROUTE_PATTERNS) {
    if (platform !== name || !path.startsWith(prefix)) continue
    const id = path.slice(prefix.length).split("/")[0]
    if (id) return { path, pattern: `${prefix}:conversationId`, params: { conversationId: decodeURIComponent(id) } }
  }
  return { path, pattern: path, params: {} }
}
