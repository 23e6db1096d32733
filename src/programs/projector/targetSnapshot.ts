import type { ConversationLink, TargetSnapshot } from "../../domain/index.js"

/** The link as it is now, in the shape a job keeps (`target_snapshot`). */
export const targetSnapshotOf = (link: ConversationLink): TargetSnapshot => ({
  link_id: link.link_id,
  platform: link.platform,
  client_id: link.client_id,
  page_url: link.page_url,
  page_title: link.page_title,
  route: { path: link.route_path, pattern: link.route_pattern, params: link.route_params },
  target: { kind: link.target_kind, id: link.target_id, payload: link.target_payload }
})
