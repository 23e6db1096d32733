import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { launchFlagsOf } from "../../src/codeCache.js"

const ROOT = fileURLToPath(new URL("../..", import.meta.url))
const flags = launchFlagsOf(`${ROOT}/src/bin.ts`)
const scripts = (JSON.parse(readFileSync(`${ROOT}/package.json`, "utf8")) as { scripts: Record<string, string> })
  .scripts

describe("launch", () => {
  it("the installed bin and npm start run node with the same memory flags", () => {
    expect(flags).toContain("--max-semi-space-size=1")
    expect(scripts["start"]).toContain(`node ${flags.join(" ")} dist/src/bin.js start`)
  })

  it("the code cache is made under the bin's flags, and V8 takes it under them", () => {
    const accepted = (nodeFlags: ReadonlyArray<string>) =>
      execFileSync(process.execPath, [
        ...nodeFlags,
        "--input-type=module",
        "--eval",
        `import { runBundle } from "${ROOT}/dist/src/codeCache.js"
         process.stdout.write(String(!runBundle("${ROOT}/dist/src/main.cjs").script.cachedDataRejected))`
      ]).toString("utf8")
    expect(accepted(flags)).toBe("true")
    // Under other flags V8 refuses it and the bundle is compiled from source: still runs.
    expect(accepted([])).toBe("false")
  })

  it("node accepts the bin's flags the way env -S passes them", () => {
    const out = execFileSync("/usr/bin/env", ["-S", `node ${flags.join(" ")}`, `${ROOT}/dist/src/bin.js`, "--version"])
    expect(out.toString("utf8")).toMatch(/\d+\.\d+\.\d+/)
  })
})
