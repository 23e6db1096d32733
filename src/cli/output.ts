import { Console } from "effect"

/** `2026-03-30 12:00:00Z` for a timestamp, `-` for none. */
export const time = (ms: number | null | undefined): string =>
  ms == null ? "-" : new Date(ms).toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z")

export const text = (value: unknown): string => (value == null || value === "" ? "-" : String(value))

/** A plain-text table: a header row and left-aligned, space-padded columns. */
export const table = (headers: ReadonlyArray<string>, rows: ReadonlyArray<ReadonlyArray<string>>): string => {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? "").length)))
  const line = (cells: ReadonlyArray<string>) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()
  return [line(headers.map((h) => h.toUpperCase())), ...rows.map(line)].join("\n")
}

/** `key: value` lines, keys aligned. */
export const fields = (pairs: ReadonlyArray<readonly [string, string]>): string => {
  const width = Math.max(...pairs.map(([k]) => k.length))
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join("\n")
}

/** `--json` prints the data as the API sent it; otherwise the human rendering. */
export const print = <A>(json: boolean, data: A, render: (data: A) => string) =>
  Console.log(json ? JSON.stringify(data, null, 2) : render(data))
