import { ValidationError } from "@effect/cli"
import type { Teardown } from "@effect/platform/Runtime"
import { Cause, Console, Data, Effect, Exit, Option } from "effect"

/** How the process ends; carried as a failure so that finalizers still run first. */
export class ExitCode extends Data.TaggedError("ExitCode")<{ readonly code: number }> {}

/** Refused settings: the message is for the operator, exit code 2. */
const USAGE_ERRORS = new Set(["InvalidFlag", "TokenFileInvalid", "UsageError"])
/** The daemon answered with an error, or could not be reached: its message, exit code 1. */
const CLIENT_ERRORS = new Set(["ApiFailure"])

const tagOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && typeof (error as { _tag?: unknown })._tag === "string"
    ? (error as { _tag: string })._tag
    : undefined

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * Every failure becomes an `ExitCode` after saying why: usage problems (2) as one line,
 * `@effect/cli`'s own (2) as it already printed them, anything unexpected (1) in full.
 */
export const withExitCodes = <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, ExitCode, R> =>
  Effect.catchAllCause(program, (cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
    const failure = Cause.failureOption(cause)
    if (Option.isSome(failure)) {
      const error: unknown = failure.value
      if (ValidationError.isValidationError(error)) return Effect.fail(new ExitCode({ code: 2 }))
      const tag = tagOf(error)
      if (tag !== undefined && USAGE_ERRORS.has(tag)) {
        return Console.error(`baa-conductor: ${messageOf(error)}`).pipe(Effect.zipRight(Effect.fail(new ExitCode({ code: 2 }))))
      }
      if (tag !== undefined && CLIENT_ERRORS.has(tag)) {
        return Console.error(`error: ${messageOf(error)}`).pipe(Effect.zipRight(Effect.fail(new ExitCode({ code: 1 }))))
      }
    }
    return Effect.logError("baa-conductor failed", cause).pipe(Effect.zipRight(Effect.fail(new ExitCode({ code: 1 }))))
  })

/** 0 for success and for an interruption (SIGINT/SIGTERM), else the `ExitCode`'s code. */
export const teardown: Teardown = (exit, onExit) => {
  if (Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)) return onExit(0)
  const failure = Cause.failureOption(exit.cause)
  onExit(Option.isSome(failure) && failure.value instanceof ExitCode ? failure.value.code : 1)
}
