import { ValidationError } from "@effect/cli"
import type { Teardown } from "@effect/platform/Runtime"
import { Cause, Console, Data, Effect, Exit, Match, Option } from "effect"
import { InvalidFlag } from "../daemon/DaemonConfig.js"
import { DaemonAlreadyRunning } from "../daemon/DaemonLock.js"
import { TokenFileInvalid } from "../daemon/DaemonToken.js"
import { ApiFailure } from "./client.js"
import { UsageError } from "./connection.js"

/** How the process ends; carried as a failure so that finalizers still run first. */
export class ExitCode extends Data.TaggedError("ExitCode")<{ readonly code: number }> {}

const exitWith = (code: number) => Effect.fail(new ExitCode({ code }))

/** What a known failure says before the process ends, and with which code. */
const explain = Match.type<unknown>().pipe(
  // @effect/cli has already printed its own.
  Match.when(ValidationError.isValidationError, () => exitWith(2)),
  // Refused settings: the message is for the operator.
  Match.whenOr(
    Match.instanceOf(InvalidFlag),
    Match.instanceOf(TokenFileInvalid),
    Match.instanceOf(UsageError),
    Match.instanceOf(DaemonAlreadyRunning),
    (error) => Console.error(`baa-conductor: ${error.message}`).pipe(Effect.zipRight(exitWith(2)))
  ),
  // The daemon answered with an error, or could not be reached.
  Match.when(
    Match.instanceOf(ApiFailure),
    (error) => Console.error(`error: ${error.message}`).pipe(Effect.zipRight(exitWith(1)))
  ),
  Match.option
)

/**
 * Every failure becomes an `ExitCode` after saying why: usage problems (2) as one line,
 * `@effect/cli`'s own (2) as it already printed them, anything unexpected (1) in full.
 */
export const withExitCodes = <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<A, ExitCode, R> =>
  Effect.catchAllCause(program, (cause) => {
    if (Cause.isInterruptedOnly(cause)) return Effect.failCause(cause as Cause.Cause<never>)
    return Cause.failureOption(cause).pipe(
      Option.flatMap(explain),
      Option.getOrElse(() => Effect.logError("baa-conductor failed", cause).pipe(Effect.zipRight(exitWith(1))))
    )
  })

/** 0 for success and for an interruption (SIGINT/SIGTERM), else the `ExitCode`'s code. */
export const teardown: Teardown = (exit, onExit) => {
  if (Exit.isSuccess(exit) || Cause.isInterruptedOnly(exit.cause)) return onExit(0)
  const failure = Cause.failureOption(exit.cause)
  onExit(Option.isSome(failure) && failure.value instanceof ExitCode ? failure.value.code : 1)
}
