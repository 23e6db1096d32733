/**
 * The platform adds its own `HttpApiDecodeError` to every API; this server never sends it (a
 * refused parameter is answered as `InvalidRequest`), so it is taken out of the document.
 */
export const withoutDecodeError = (spec: Record<string, any>): Record<string, any> => {
  const isDecodeRef = (node: unknown) =>
    typeof node === "object" && node !== null &&
    (node as { $ref?: unknown }).$ref === "#/components/schemas/HttpApiDecodeError"

  const visit = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(visit)
    if (typeof node !== "object" || node === null) return node
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(node)) out[key] = visit(value)
    if (Array.isArray(out.anyOf)) {
      const rest = (out.anyOf as Array<unknown>).filter((member) => !isDecodeRef(member))
      if (rest.length === 1) {
        delete out.anyOf
        return { ...out, ...(rest[0] as object) }
      }
      out.anyOf = rest
    }
    return out
  }

  const result = visit(spec) as Record<string, any>
  const schemas = result.components?.schemas
  if (schemas !== undefined) {
    delete schemas.HttpApiDecodeError
    delete schemas.Issue
  }
  return result
}
