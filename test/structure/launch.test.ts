import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const ROOT = fileURLToPath(new URL("../..", import.meta.url))
const shebang = readFileSync(`${ROOT}/src/bin.ts`, "utf8").split("\n")[0]!
const flags = /^#!\/usr\/bin\/env -S node( .*)?$/.exec(shebang)?.[1]?.trim().split(" ") ?? []
const scripts = (JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { scripts: Record<string, string> })
  .scripts

describe("launch", () => {
  it("the installed bin and npm start run node with the same memory flags", () => {
    expect(flags).toContain("--max-semi-space-size=2")
    expect(scripts["start"]).toContain(`node ${flags.join(" ")} dist/src/bin.js start`)
  })

  it("node accepts the bin's flags the way env -S passes them", () => {
    const out = execFileSync("/usr/bin/env", ["-S", `node ${flags.join(" ")}`, `${ROOT}/dist/src/bin.js`, "--version"])
    expect(out.toString("utf8")).toMatch(/\d+\.\d+\.\d+/)
  })
})
