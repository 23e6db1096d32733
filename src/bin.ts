#!/usr/bin/env -S node --max-semi-space-size=1
// V8 grows the young generation's semi-spaces to 16 MiB during start-up and never shrinks them
// (about 30 MB of an idle daemon); at 1 MiB an idle daemon holds 7 MB less than at 2 for the
// same CPU per request. The size can only be set on node's command line: the installed bin runs
// with it from this line, `npm start` passes the same flag. The code cache below is made under
// the same flags (V8 refuses one made under others).
import { fileURLToPath } from "node:url"
import { runBundle } from "./codeCache.js"
import type { main } from "./main.js"

runBundle<{ readonly main: typeof main }>(fileURLToPath(new URL("main.cjs", import.meta.url))).exports.main(
  process.argv
)
