/**
 * A self-contained API reference rendered from the OpenAPI document: no script, no stylesheet
 * or font from elsewhere, so it works on a machine without internet access.
 */
const escape = (text: unknown): string => String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

const METHODS = ["get", "post", "put", "patch", "delete"] as const

const schemaHint = (schema: any): string => {
  if (schema === undefined) return ""
  if (Array.isArray(schema.enum)) return schema.enum.map((v: unknown) => JSON.stringify(v)).join(" | ")
  if (Array.isArray(schema.anyOf)) return schema.anyOf.map(schemaHint).filter(Boolean).join(" | ")
  if (typeof schema.$ref === "string") return schema.$ref.split("/").pop() ?? ""
  return schema.type ?? ""
}

const parameters = (params: ReadonlyArray<any> | undefined): string =>
  params === undefined || params.length === 0
    ? ""
    : `<table><tr><th>parameter</th><th>in</th><th>allowed</th><th>notes</th></tr>${
      params
        .map((p) =>
          `<tr><td><code>${escape(p.name)}</code>${p.required ? " *" : ""}</td><td>${escape(p.in)}</td>` +
          `<td><code>${escape(schemaHint(p.schema))}</code></td><td>${
            escape(p.description ?? p.schema?.description ?? "")
          }</td></tr>`
        )
        .join("")
    }</table>`

const responses = (map: Record<string, any> | undefined): string =>
  Object.entries(map ?? {})
    .map(([status, r]) => `<li><b>${escape(status)}</b> ${escape(r.description ?? "")}</li>`)
    .join("")

const operation = (path: string, method: string, op: any): string => `
<section id="${escape(op.operationId)}">
  <h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
  <p>${escape(op.summary ?? op.description ?? "")}${op.security?.length ? " <i>(token required)</i>" : ""}</p>
  ${parameters(op.parameters)}
  <ul>${responses(op.responses)}</ul>
</section>`

export const render = (spec: Record<string, any>): string => {
  const ops: Array<string> = []
  const index: Array<string> = []
  for (const [path, item] of Object.entries<any>(spec.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method]
      if (op === undefined) continue
      ops.push(operation(path, method, op))
      index.push(`<li><a href="#${escape(op.operationId)}">${method.toUpperCase()} ${escape(path)}</a></li>`)
    }
  }
  const schemas = JSON.stringify(spec.components?.schemas ?? {}, null, 2)
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(spec.info?.title)} API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{font-family:ui-monospace,monospace}pre{background:#f5f5f5;padding:1rem;overflow:auto}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
.m{display:inline-block;min-width:3.5rem;color:#fff;border-radius:3px;padding:0 .3rem;font-size:.8em;text-align:center}
.get{background:#2b7}.post{background:#27b}section{border-top:1px solid #eee;padding-top:.5rem}
</style></head><body>
<h1>${escape(spec.info?.title)} <small>${escape(spec.info?.version)}</small></h1>
<p>${escape(spec.info?.description ?? "")}</p>
<p>Success: <code>{"ok": true, "request_id", "data"}</code>. Error: <code>{"ok": false, "request_id", "error", "message", "details"}</code>.
The machine-readable document is at <a href="/openapi.json">/openapi.json</a>.</p>
<ul>${index.join("")}</ul>
${ops.join("")}
<h2>Schemas</h2><details><summary>all component schemas</summary><pre>${escape(schemas)}</pre></details>
</body></html>`
}
