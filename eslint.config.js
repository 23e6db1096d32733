// @ts-check
import js from "@eslint/js"
import globals from "globals"
import tseslint from "typescript-eslint"
import effect from "@effect/eslint-plugin"

/** The house rules that a linter can hold; formatting is left to review (no formatter is run). */
export default tseslint.config(
  { ignores: ["dist/**", "extension/dist/**", "node_modules/**", "test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    plugins: { "@effect": effect },
    rules: {
      // The formatter, as Effect's own repositories run it: dprint inside ESLint, so
      // `npm run format` (eslint --fix) formats and `npm run lint` refuses unformatted code.
      "@effect/dprint": ["error", {
        config: {
          indentWidth: 2,
          lineWidth: 120,
          semiColons: "asi",
          quoteStyle: "alwaysDouble",
          trailingCommas: "never",
          operatorPosition: "maintain",
          "arrowFunction.useParentheses": "force"
        }
      }],
      // Unused names are already errors in tsc (noUnusedLocals); `_`-prefixed ones are deliberate.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true }],
      // Effect's own signatures take `any` in generic bounds (`Schema<A, any>`) and `{}` for
      // errors without fields (`Data.TaggedError("X")<{}>`).
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-empty-object-type": "off"
    }
  },
  // The extension's build scripts run in Node; the fixture sites' script runs in the page.
  { files: ["extension/*.mjs", "dashboard/*.mjs", "scripts/*.mjs"], languageOptions: { globals: globals.node } },
  { files: ["test/extension/fixtures/sites/*.js"], languageOptions: { globals: globals.browser } },
  {
    files: ["src/**/*.ts"],
    rules: {
      // Time comes from Clock and Schedule, so TestClock controls it.
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "use Clock.currentTimeMillis" },
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "use Clock.currentTimeMillis" }
      ],
      "no-restricted-globals": [
        "error",
        { name: "setTimeout", message: "use Effect.sleep or a Schedule" },
        { name: "setInterval", message: "use a Schedule" }
      ]
    }
  }
)
