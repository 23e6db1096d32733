// `npm test`'s checks before vitest, side by side: each is one single-threaded process, so on two
// cores they take about half their sum. Each one's output is printed whole when it ends; the
// command fails when any check fails. `npm run typecheck`, `lint` and `build` still run them one by one.
import { spawn } from "node:child_process"
import { delimiter, join } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
// Caches under node_modules/.cache: tsc and ESLint check again only what changed since the last run.
const cache = join("node_modules", ".cache", "baa-conductor")
const tsc = (project, name) => `tsc -p ${project} --noEmit --incremental --tsBuildInfoFile ${join(cache, `${name}.tsbuildinfo`)}`

const checks = [
  // The daemon, bench and probe sources are type-checked here with the tests (tsconfig.build.json
  // extends tsconfig.json and includes a subset of it), so the build below only emits them.
  ["typecheck", tsc("tsconfig.json", "root")],
  ["typecheck extension", tsc("extension/tsconfig.json", "extension")],
  ["typecheck dashboard", tsc("dashboard/tsconfig.json", "dashboard")],
  ["lint", `eslint --max-warnings 0 --cache --cache-strategy content --cache-location ${join(cache, "eslint")} .`],
  ["build", "tsc -p tsconfig.build.json --noCheck && node scripts/bundle-bin.mjs && node extension/build.mjs && node dashboard/build.mjs"]
]

const env = { ...process.env, PATH: [join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter) }

const run = ([name, command]) =>
  new Promise((resolve) => {
    const started = performance.now()
    const child = spawn(command, { cwd: root, env, shell: true, stdio: ["ignore", "pipe", "pipe"] })
    const output = []
    child.stdout.on("data", (chunk) => output.push(chunk))
    child.stderr.on("data", (chunk) => output.push(chunk))
    child.on("close", (code) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1)
      const text = Buffer.concat(output).toString().trimEnd()
      const status = code === 0 ? "ok" : `FAILED (exit ${code})`
      process.stdout.write(`> ${name}: ${status} in ${seconds} s\n${text === "" ? "" : `${text}\n`}`)
      resolve(code === 0)
    })
  })

const results = await Promise.all(checks.map(run))
if (results.includes(false)) {
  process.stderr.write(`failed: ${checks.filter((_, i) => !results[i]).map(([name]) => name).join(", ")}\n`)
  process.exit(1)
}
