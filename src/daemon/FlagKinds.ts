import { Options } from "@effect/cli"
import { Config, ConfigError, Either, type Option, Schema } from "effect"

/** One flag of `baa-conductor start`: its typed option and what it allows, said when a value is refused. */
export interface Flag<A> {
  readonly name: string
  readonly allowed: string
  readonly option: Options.Options<A>
  /** What the text given on the command line must look like, when the option's parser is laxer. */
  readonly pattern?: RegExp | undefined
}

/** `state-dir` → `BAA_STATE_DIR`. */
export const envName = (flag: string): string => `BAA_${flag.toUpperCase().replace(/-/g, "_")}`

const refusing = (allowed: string) => ({ message: () => ({ message: allowed, override: true }) })

/** `BAA_<FLAG>` through `schema`; an empty variable counts as unset. A secret's value is never echoed. */
export const fromEnv = <A>(
  flag: string,
  schema: Schema.Schema<A, any>,
  allowed: string,
  options: { readonly secret?: boolean } = {}
): Config.Config<A> => {
  const name = envName(flag)
  return Config.string(name).pipe(
    Config.mapOrFail((raw) =>
      raw === ""
        ? Either.left(ConfigError.MissingData([name], `${name} is empty`))
        : Either.mapLeft(
          Schema.decodeUnknownEither(schema)(raw),
          () =>
            ConfigError.InvalidData(
              [name],
              `${allowed} (${options.secret ? "" : `got ${JSON.stringify(raw)} `}from ${name})`
            )
        )
    )
  )
}

export const flag = <A>(name: string, allowed: string, option: Options.Options<A>, description: string): Flag<A> => ({
  name,
  allowed,
  option: Options.withDescription(option, `${description} (env ${envName(name)})`)
})

/** Integers are plain decimal digits: `1e3`, `0x10` or `1.0` are refused (Options.integer takes them). */
const DIGITS = /^(0|[1-9][0-9]{0,9})$/
const withPattern = <A>(pattern: RegExp, f: Flag<A>): Flag<A> => ({ ...f, pattern })
const Digits = Schema.String.pipe(Schema.pattern(DIGITS))

export const integer = (name: string, min: number, max: number, description: string) => {
  const allowed = `must be an integer from ${min} to ${max}`
  const InRange = Schema.Int.pipe(Schema.between(min, max)).annotations(refusing(allowed))
  return withPattern(
    DIGITS,
    flag(
      name,
      allowed,
      Options.integer(name).pipe(
        Options.withFallbackConfig(
          fromEnv(name, Schema.compose(Digits, Schema.NumberFromString).pipe(Schema.compose(InRange)), allowed)
        ),
        Options.withSchema(InRange)
      ),
      description
    )
  )
}

export const choice = <A extends string>(name: string, literals: ReadonlyArray<A>, description: string) => {
  const allowed = `must be one of ${literals.join(", ")}`
  return flag(
    name,
    allowed,
    Options.choice(name, literals).pipe(
      Options.withFallbackConfig(fromEnv(name, Schema.Literal(...literals), allowed))
    ),
    description
  )
}

export const WORD = "must be a non-empty value without spaces"
export const Word = Schema.String.pipe(Schema.pattern(/^\S+$/)).annotations(refusing(WORD))

export const word = (name: string, description: string) =>
  flag(
    name,
    WORD,
    Options.text(name).pipe(Options.withFallbackConfig(fromEnv(name, Word, WORD)), Options.withSchema(Word)),
    description
  )

export const withDefault = <A>(f: Flag<A>, value: A): Flag<A> => ({
  ...f,
  option: f.option.pipe(Options.withDefault(value), Options.withDescription(`Default: ${String(value)}.`))
})
export const optional = <A>(f: Flag<A>): Flag<Option.Option<A>> => ({ ...f, option: Options.optional(f.option) })

/** A switch, off unless given (`--name`, or `BAA_<NAME>=true`). */
export const toggle = (name: string, description: string) =>
  flag(
    name,
    "must be true or false",
    Options.boolean(name).pipe(
      Options.withFallbackConfig(fromEnv(name, Schema.BooleanFromString, "must be true or false"))
    ),
    description
  )
