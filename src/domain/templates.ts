import { Data, Effect } from "effect"

/** What a template sees of the message it renews and the tab it goes back to. */
export interface TemplateInput {
  readonly text: string
  readonly page_url: string | null
}

export type Template = (input: TemplateInput) => string

/** Configured `template` names no known template: the daemon refuses to start. */
export class UnknownTemplate extends Data.TaggedError("UnknownTemplate")<{
  readonly name: string
  readonly known: ReadonlyArray<string>
}> {
  override get message() {
    return `unknown renewal template "${this.name}" (known: ${this.known.join(", ")})`
  }
}

export const SUMMARY_LIMIT = 200
const ELLIPSIS = "…"

/**
 * Whitespace collapsed to single spaces and trimmed, then at most `SUMMARY_LIMIT` characters
 * (Unicode code points, so a cut never splits one): when cut, the first 199 characters and `…`.
 */
export const summarize = (text: string, limit = SUMMARY_LIMIT): string => {
  const collapsed = text.replace(/\s+/gu, " ").trim()
  const chars = Array.from(collapsed)
  return chars.length <= limit ? collapsed : chars.slice(0, limit - 1).join("") + ELLIPSIS
}

/** `[renewal] <summary>` and, when the tab's page is known, `\n<page_url>`. */
const summaryWithLink: Template = ({ text, page_url }) =>
  page_url === null || page_url === "" ? `[renewal] ${summarize(text)}` : `[renewal] ${summarize(text)}\n${page_url}`

export const templates: Readonly<Record<string, Template>> = {
  summary_with_link: summaryWithLink
}

export const resolveTemplate = (name: string): Effect.Effect<Template, UnknownTemplate> =>
  Object.hasOwn(templates, name)
    ? Effect.succeed(templates[name]!)
    : Effect.fail(new UnknownTemplate({ name, known: Object.keys(templates) }))
