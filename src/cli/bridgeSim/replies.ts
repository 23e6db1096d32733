import { Data, Effect, Schema, Stream } from "effect"
import { createReadStream } from "node:fs"
import { createInterface } from "node:readline"
import type { SimConfig } from "./SimConfig.js"

export class ReplyFileError extends Data.TaggedError("ReplyFileError")<{ readonly message: string }> {}

const decodeLine = Schema.decodeUnknown(Schema.parseJson(Schema.Record({ key: Schema.String, value: Schema.Unknown })))

const jsonLines = (file: string) =>
  Stream.fromAsyncIterable(
    createInterface({ input: file === "-" ? process.stdin : createReadStream(file), crlfDelay: Infinity }),
    (cause) => new ReplyFileError({ message: `cannot read ${file}: ${String(cause)}` })
  ).pipe(
    Stream.map((line) => line.trim()),
    Stream.filter((line) => line !== ""),
    Stream.mapEffect((line) =>
      decodeLine(line).pipe(
        Effect.mapError(() =>
          new ReplyFileError({ message: `${file}: each line must be a JSON object, got: ${line.slice(0, 80)}` })
        )
      )
    )
  )

/** The replies to report: every `--reply` first, then the lines of `--file` as they come. */
export const replySource = (config: SimConfig): Stream.Stream<Record<string, unknown>, ReplyFileError> =>
  Stream.fromIterable(config.replies.map((text): Record<string, unknown> => ({ text }))).pipe(
    Stream.concat(config.file === null ? Stream.empty : jsonLines(config.file))
  )
