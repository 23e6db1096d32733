import { existsSync, readFileSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname } from "node:path"
import { Script } from "node:vm"

/**
 * The node flags on a script's `#!/usr/bin/env -S node …` line: the bin's are the flags the
 * daemon runs under as installed, so the code cache is made under them and the benches and
 * tests start it with them.
 */
export const launchFlagsOf = (script: string): ReadonlyArray<string> =>
  (/^#!.*\bnode\b(.*)$/.exec(readFileSync(script, "utf8").split("\n")[0] ?? "")?.[1] ?? "")
    .split(" ")
    .filter((flag) => flag !== "")

/** Where the compiled form of a bundle is kept: beside it. */
export const cacheFile = (bundle: string): string => `${bundle}.cache`

/**
 * Runs a CommonJS bundle with V8's code cache, as node would run it with `require`, and returns
 * its exports. With the cache V8 reads the bundle's functions already compiled instead of parsing
 * 2 MB of source at start; the parser's scratch memory, freed in blocks glibc keeps, was about
 * 25 MB of an idle daemon (docs/benchmarks.md, "Where an idle daemon's memory goes"). A cache
 * made by another node version, with other node flags or for another bundle is refused by V8,
 * and the bundle is then compiled from its source as usual.
 */
export const runBundle = <Exports>(bundle: string): { readonly exports: Exports; readonly script: Script } => {
  const cache = cacheFile(bundle)
  const script = new Script(
    `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, "utf8")}\n})`,
    { filename: bundle, ...(existsSync(cache) ? { cachedData: readFileSync(cache) } : {}) }
  )
  const module = { exports: {} as Exports }
  const wrapper = script.runInThisContext() as (...args: ReadonlyArray<unknown>) => void
  wrapper(module.exports, createRequire(bundle), module, bundle, dirname(bundle))
  return { exports: module.exports, script }
}

/**
 * Makes the cache (`npm run build` does it, under the bin's node flags): once the bundle's modules
 * have run their top level, and before any command, so it holds what every start compiles.
 */
export const writeCache = (bundle: string): void =>
  writeFileSync(cacheFile(bundle), runBundle(bundle).script.createCachedData())
